#!/usr/bin/env python3
"""Writes `get-account-authorization-details` exports that stress policy
evaluation, for scripts/bench-policy.sh. Deterministic.

  gen-policy-stress.py readonly N    N users holding the AWS managed policy
                                     ReadOnlyAccess (its real document, taken
                                     from moto's copy of the AWS managed
                                     policies, about 3,000 actions)
  gen-policy-stress.py statements N  one user whose inline policy has N
                                     statements (distinct actions, scoped
                                     resources, a Deny every tenth)
"""
import importlib.util
import json
import sys

ACCOUNT = "123456789012"
DATE = "2024-05-01T12:00:00+00:00"


def readonly_document():
    spec = importlib.util.find_spec("moto")
    if spec is None:
        sys.exit("moto is not installed: run ./scripts/moto-venv.sh and use venv/bin/python")
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    data = json.loads(aws_managed_policies_data)
    return data["ReadOnlyAccess"]["Document"]


def user(n, policies=(), inline=()):
    return {
        "Path": "/",
        "UserName": f"u{n}",
        "UserId": f"AIDA{n:016d}",
        "Arn": f"arn:aws:iam::{ACCOUNT}:user/u{n}",
        "CreateDate": DATE,
        "UserPolicyList": list(inline),
        "GroupList": [],
        "AttachedManagedPolicies": list(policies),
        "Tags": [],
    }


def main():
    mode, n = sys.argv[1], int(sys.argv[2])
    export = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}
    if mode == "readonly":
        arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
        export["Policies"].append({
            "PolicyName": "ReadOnlyAccess", "Arn": arn, "Path": "/", "DefaultVersionId": "v1",
            "AttachmentCount": n, "IsAttachable": True, "CreateDate": DATE, "UpdateDate": DATE,
            "PolicyVersionList": [{"Document": readonly_document(), "VersionId": "v1",
                                   "IsDefaultVersion": True, "CreateDate": DATE}],
        })
        ref = {"PolicyName": "ReadOnlyAccess", "PolicyArn": arn}
        export["UserDetailList"] = [user(i, [ref]) for i in range(n)]
    elif mode == "statements":
        verbs = ["Get", "Put", "Delete", "List", "Describe", "Create", "Update", "Tag"]
        statements = []
        for i in range(n):
            statements.append({
                "Sid": f"S{i}",
                "Effect": "Deny" if i % 10 == 9 else "Allow",
                "Action": [f"s3:{verbs[i % len(verbs)]}Object", f"svc{i % 50}:{verbs[i % 8]}Thing{i}"],
                "Resource": f"arn:aws:s3:::bucket-{i}/*",
            })
        doc = {"Version": "2012-10-17", "Statement": statements}
        export["UserDetailList"] = [user(0, inline=[{"PolicyName": "big", "PolicyDocument": doc}])]
    else:
        sys.exit(__doc__)
    json.dump(export, sys.stdout)


if __name__ == "__main__":
    main()
