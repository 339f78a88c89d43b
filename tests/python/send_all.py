"""Sends one message of each type with Python's DingtalkChatbot (a real, widely used
DingTalk client) to the webhook given on the command line, signed with the given secret,
and prints each answer as one JSON line. Used by tests/tests/python_client.rs."""

import json
import sys

from dingtalkchatbot.chatbot import ActionCard, CardItem, DingtalkChatbot

webhook, secret = sys.argv[1], sys.argv[2]
bot = DingtalkChatbot(webhook, secret=secret)
pic = "https://img.alicdn.com/tfs/TB1NwmBEL9TBuNjy1zbXXXpepXa-2400-1218.png"

answers = [
    bot.send_text(msg="py text", at_mobiles=["13800000000"]),
    bot.send_markdown(title="py markdown", text="#### py markdown\n\n> quoted", at_mobiles=["13900000000"]),
    bot.send_link(title="py link", text="link text", message_url="https://www.dingtalk.com/", pic_url=pic),
    bot.send_action_card(
        ActionCard(
            title="py card",
            text="### py card",
            btns=[CardItem(title="Yes", url="https://a.example/yes"), CardItem(title="No", url="https://a.example/no")],
            btn_orientation=1,
        )
    ),
    bot.send_feed_card([CardItem(title="py feed", url="https://www.dingtalk.com/", pic_url=pic)]),
]
for answer in answers:
    print(json.dumps(answer))
