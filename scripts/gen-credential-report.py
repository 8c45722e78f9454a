#!/usr/bin/env python3
"""Writes a synthetic IAM credential report with N users to stdout (for benchmarks).

Deterministic: the same N gives the same file. Mixes humans, service users,
keys in both slots, inactive keys, never-used keys and certificates.
"""
import datetime as dt
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
rng = random.Random(42)
now = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
NA = "N/A"


def d(days):
    return (now - dt.timedelta(days=days, seconds=rng.randrange(86400))).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def key():
    if rng.random() < 0.3:
        return ["false", NA, NA, NA, NA]
    created = rng.randrange(1, 1500)
    active = "true" if rng.random() < 0.85 else "false"
    if rng.random() < 0.15:
        return [active, d(created), NA, NA, NA]
    return [active, d(created), d(rng.randrange(0, created + 1)), "us-east-1", rng.choice(["s3", "ec2", "sts", "iam"])]


cols = ("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
        "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
        "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
        "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
        "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
        "cert_1_last_rotated,cert_2_active,cert_2_last_rotated")
out = [cols]
out.append(",".join(["<root_account>", "arn:aws:iam::123456789012:root", d(3000), "not_supported", d(3),
                     "not_supported", "not_supported", "true"] + key() + key() + ["false", NA, "false", NA]))
for i in range(n):
    name = f"svc-{i:05d}" if i % 3 else f"user-{i:05d}"
    path = "/service/" if i % 7 == 0 else "/"
    human = i % 3 == 0
    pw = ["true", d(rng.randrange(0, 200)), d(rng.randrange(0, 400)), NA] if human else ["false", NA, NA, NA]
    cert = ["true", d(rng.randrange(1, 1500))] if rng.random() < 0.05 else ["false", NA]
    out.append(",".join([name, f"arn:aws:iam::123456789012:user{path}{name}", d(rng.randrange(1, 2000))] + pw
                        + ["true" if human else "false"] + key() + key() + cert + ["false", NA]))
sys.stdout.write("\n".join(out) + "\n")
