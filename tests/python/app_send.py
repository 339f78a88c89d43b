"""DingTalk's official Python SDK (PyPI `alibabacloud-dingtalk`) against the emulator:
obtains a token with oauth2_1_0, sends sampleMarkdown to a group and sampleText to users
with robot_1_0. Prints one JSON line per answer.

Usage: app_send.py HOST:PORT APP_KEY APP_SECRET ROBOT_CODE
"""

import json
import sys

from alibabacloud_dingtalk.oauth2_1_0 import client as oauth2_client
from alibabacloud_dingtalk.oauth2_1_0 import models as oauth2_models
from alibabacloud_dingtalk.robot_1_0 import client as robot_client
from alibabacloud_dingtalk.robot_1_0 import models as robot_models
from alibabacloud_tea_openapi import models as open_api_models
from alibabacloud_tea_util import models as util_models


def main():
    endpoint, app_key, app_secret, robot_code = sys.argv[1:5]
    config = open_api_models.Config(protocol="http", region_id="central", endpoint=endpoint)
    runtime = util_models.RuntimeOptions()

    token = oauth2_client.Client(config).get_access_token(
        oauth2_models.GetAccessTokenRequest(app_key=app_key, app_secret=app_secret)
    ).body
    print(json.dumps({"expireIn": token.expire_in}))

    robot = robot_client.Client(config)
    group = robot.org_group_send_with_options(
        robot_models.OrgGroupSendRequest(
            robot_code=robot_code,
            open_conversation_id="cid-python",
            msg_key="sampleMarkdown",
            msg_param=json.dumps({"title": "Deploy", "text": "**api** v42 is live"}),
        ),
        robot_models.OrgGroupSendHeaders(x_acs_dingtalk_access_token=token.access_token),
        runtime,
    ).body
    print(json.dumps({"processQueryKey": group.process_query_key}))

    users = robot.batch_send_otowith_options(
        robot_models.BatchSendOTORequest(
            robot_code=robot_code,
            user_ids=["user-1", "user-2"],
            msg_key="sampleText",
            msg_param=json.dumps({"content": "your deploy is live"}),
        ),
        robot_models.BatchSendOTOHeaders(x_acs_dingtalk_access_token=token.access_token),
        runtime,
    ).body
    print(
        json.dumps(
            {
                "processQueryKey": users.process_query_key,
                "invalidStaffIdList": users.invalid_staff_id_list,
                "flowControlledStaffIdList": users.flow_controlled_staff_id_list,
            }
        )
    )


if __name__ == "__main__":
    main()
