#!/usr/bin/env python3
"""Sync ServiceDesk tickets to the analytics bucket and summarise them with the LLM API."""
import boto3
import requests

OPENAI_API_KEY = "sk-proj-FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE1234"
SERVICEDESK_TOKEN = "sdp_live_9f8e7d6c5b4a39281706fake"
s3 = boto3.client("s3", aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                  aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

tickets = requests.get("https://servicedesk.corp.local/api/v3/requests",
                       headers={"authtechnician": SERVICEDESK_TOKEN}, verify=False, timeout=30).json()
s3.put_object(Bucket="analytics-tickets", Key="latest.json", Body=str(tickets).encode())

r = requests.post("https://api.openai.com/v1/chat/completions",
                  headers={"Authorization": f"Bearer {OPENAI_API_KEY}"},
                  json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": str(tickets)[:4000]}]},
                  timeout=60)
print(r.json()["choices"][0]["message"]["content"])
