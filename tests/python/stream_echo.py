"""The official DingTalk Stream SDK (PyPI `dingtalk-stream`) as an app robot: it opens a
connection to the OpenAPI named by DINGTALK_OPENAPI_ENDPOINT, waits for one robot message,
replies "echo: <text>" through the message's session webhook, prints what it heard as one
JSON line and exits. Usage: stream_echo.py CLIENT_ID CLIENT_SECRET
"""

import asyncio
import json
import logging
import os
import sys
import threading

import dingtalk_stream
from dingtalk_stream import AckMessage


class Echo(dingtalk_stream.ChatbotHandler):
    async def process(self, callback):
        incoming = dingtalk_stream.ChatbotMessage.from_dict(callback.data)
        text = incoming.text.content.strip()
        self.reply_text("echo: " + text, incoming)
        print(json.dumps({"heard": text, "from": incoming.sender_nick}), flush=True)
        # Leave once the acknowledgement that follows this return is sent.
        asyncio.get_running_loop().call_later(0.5, os._exit, 0)
        return AckMessage.STATUS_OK, "OK"


def main():
    logging.basicConfig(level=logging.WARNING)
    threading.Timer(30, os._exit, [3]).start()
    credential = dingtalk_stream.Credential(sys.argv[1], sys.argv[2])
    client = dingtalk_stream.DingTalkStreamClient(credential)
    client.register_callback_handler(dingtalk_stream.chatbot.ChatbotMessage.TOPIC, Echo())
    client.start_forever()


if __name__ == "__main__":
    main()
