#!/usr/bin/env python3
"""Writes a synthetic `aws iam get-account-authorization-details` export with
ROLES roles and POLICIES customer managed policies, for benchmarks and the
Cloudsplaining comparison. Deterministic: the same arguments give the same file.

Policies mix what real accounts hold: scoped reads and writes, writes on "*",
service wildcards, single-action escalation grants, iam:PassRole and compute
actions in separate policies, a few admin and NotAction grants, Deny
statements, conditional statements, and policy-version rights on the role's
own policy. Roles attach one to three of them, some add an inline policy or a
permissions boundary, and their trust policies range from AWS services to
GitHub OIDC and "*". Documents are JSON objects, as the AWS CLI writes them.

Usage: gen-authorization-details.py ROLES POLICIES > export.json
"""
import json
import random
import sys

ACCOUNT = "123456789012"
DATE = "2024-05-01T12:00:00+00:00"


def statement(rng, n):
    """One Allow or Deny statement, drawn by weight."""
    bucket = f"arn:aws:s3:::data-{n % 97}"
    table = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/t{n % 89}"
    shapes = [
        (30, {"Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [bucket, bucket + "/*"]}),
        (15, {"Action": ["ec2:Describe*", "cloudwatch:Get*", "logs:Describe*"], "Resource": "*"}),
        (15, {"Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], "Resource": table}),
        (8, {"Action": ["sqs:SendMessage", "sns:Publish"], "Resource": "*"}),
        (6, {"Action": "dynamodb:*", "Resource": table}),
        (5, {"Action": "iam:PassRole", "Resource": "*"}),
        (5, {"Action": ["ec2:RunInstances", "ec2:Describe*"], "Resource": "*"}),
        (3, {"Action": ["lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}),
        (3, {"Action": "s3:*", "Resource": "*"}),
        (2, {"Action": rng.choice(["iam:CreateAccessKey", "iam:PutRolePolicy", "iam:AttachUserPolicy",
                                    "iam:UpdateAssumeRolePolicy", "lambda:UpdateFunctionCode"]), "Resource": "*"}),
        (2, {"Action": "s3:PutObject", "Resource": bucket + "/*",
             "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}}),
        (1, {"Action": "iam:CreatePolicyVersion", "Resource": f"arn:aws:iam::{ACCOUNT}:policy/p{n}-*"}),
        (1, {"Action": "*", "Resource": "*"}),
        (1, {"NotAction": ["iam:*", "organizations:*"], "Resource": "*"}),
        (3, {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}),
    ]
    total = sum(w for w, _ in shapes)
    pick = rng.randrange(total)
    for w, s in shapes:
        if pick < w:
            return {"Effect": "Allow", **s}
        pick -= w
    raise AssertionError


def document(rng, n):
    return {"Version": "2012-10-17",
            "Statement": [statement(rng, n) for _ in range(rng.choice([1, 1, 2, 3]))]}


def trust(rng, n):
    service = {"Effect": "Allow", "Principal": {"Service": rng.choice(
        ["ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com"])}, "Action": "sts:AssumeRole"}
    gh = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
    choices = [
        (80, service),
        (8, {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "sts:AssumeRole",
             "Condition": {"StringEquals": {"sts:ExternalId": f"x-{n}"}}}),
        (4, {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "sts:AssumeRole"}),
        (5, {"Effect": "Allow", "Principal": {"Federated": gh}, "Action": "sts:AssumeRoleWithWebIdentity",
             "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                           "StringLike": {"token.actions.githubusercontent.com:sub":
                                          rng.choice([f"repo:acme/app{n % 50}:*", "repo:acme/*"])}}}),
        (3, {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
             "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}),
    ]
    pick = rng.randrange(sum(w for w, _ in choices))
    for w, s in choices:
        if pick < w:
            return {"Version": "2012-10-17", "Statement": [s]}
        pick -= w
    raise AssertionError


def main(roles, policies):
    rng = random.Random(42)
    managed = []
    for n in range(policies):
        name = f"p{n}-policy"
        managed.append({
            "PolicyName": name, "PolicyId": f"ANPA{n:016d}", "Arn": f"arn:aws:iam::{ACCOUNT}:policy/{name}",
            "Path": "/", "DefaultVersionId": "v1", "AttachmentCount": 0, "PermissionsBoundaryUsageCount": 0,
            "IsAttachable": True, "CreateDate": DATE, "UpdateDate": DATE,
            "PolicyVersionList": [{"Document": document(rng, n), "VersionId": "v1",
                                   "IsDefaultVersion": True, "CreateDate": DATE}],
        })
    boundaries = [f"arn:aws:iam::{ACCOUNT}:policy/p{n}-policy" for n in range(min(5, policies))]
    role_list = []
    for n in range(roles):
        name = f"role-{n}"
        attached = rng.sample(range(policies), rng.choice([1, 1, 2, 3]))
        role = {
            "Path": "/", "RoleName": name, "RoleId": f"AROA{n:016d}", "Arn": f"arn:aws:iam::{ACCOUNT}:role/{name}",
            "CreateDate": DATE, "AssumeRolePolicyDocument": trust(rng, n), "InstanceProfileList": [],
            "RolePolicyList": [], "Tags": [{"Key": "owner", "Value": f"team-{n % 40}"}] if n % 3 else [],
            "AttachedManagedPolicies": [{"PolicyName": managed[i]["PolicyName"], "PolicyArn": managed[i]["Arn"]}
                                        for i in attached],
            "RoleLastUsed": {"LastUsedDate": DATE, "Region": "us-east-1"} if n % 4 else {},
        }
        for i in attached:
            managed[i]["AttachmentCount"] += 1
        if rng.random() < 0.3:
            role["RolePolicyList"].append({"PolicyName": f"{name}-inline", "PolicyDocument": document(rng, n)})
        if rng.random() < 0.05:
            role["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy",
                                           "PermissionsBoundaryArn": rng.choice(boundaries)}
        role_list.append(role)
    json.dump({"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": role_list,
               "Policies": managed, "IsTruncated": False}, sys.stdout)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
