"""A moto server for nhiscan's live AWS tests and benchmark.

    python tests/moto/server.py SCENARIO [RECORDING]

Starts moto in this process on a free 127.0.0.1 port, seeds SCENARIO through
boto3 (and, where AWS has no API for it, such as old creation or last-used
dates, through moto's backend objects), then prints one line:

    READY <endpoint url> <seed time, RFC 3339> <JSON facts about the seed>

and serves until its standard input closes, so it dies with the test process.
With RECORDING, moto's recorder writes every request made after seeding to
that file (JSON lines), for the read-only test.

Scenarios: `account` (one rich account), `org` (an Organization with IAM
authorization switched on, so AccessDenied is real), `bench USERS KEYS ROLES`.
"""

import datetime
import json
import logging
import os
import sys

SCENARIO = sys.argv[1]
ARGS = sys.argv[2:]
if SCENARIO != "bench" and ARGS:
    os.environ["MOTO_ENABLE_RECORDING"] = "true"
    os.environ["MOTO_RECORDER_FILEPATH"] = ARGS[0]

import boto3  # noqa: E402
from moto import settings  # noqa: E402
from moto.backends import get_backend  # noqa: E402
from moto.iam.models import AccessKeyLastUsed  # noqa: E402
from moto.moto_api import recorder  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MAIN = "123456789012"
NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def days_ago(n):
    # moto keeps naive UTC datetimes.
    return (NOW - datetime.timedelta(days=n)).replace(tzinfo=None)


def pem(name):
    with open(os.path.join(ROOT, "fixtures", "aws", "certificates", name)) as f:
        return f.read()


def client(url, service, creds=None):
    creds = creds or {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return boto3.client(service, endpoint_url=url, region_name="us-east-1", **creds)


def iam_backend(account):
    return get_backend("iam")[account]["global"]


def doc(statements):
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def allow(actions, resource="*"):
    return {"Effect": "Allow", "Action": actions, "Resource": resource}


TRUST_EC2 = doc([{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}])
TRUST_ANY = doc([{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}])


def seed_account(url):
    iam = client(url, "iam")
    facts = {}

    # A CI user: two keys (one stale, one never used), CodeCommit access, an SSH key.
    iam.create_user(UserName="deployer", Path="/ci/", Tags=[{"Key": "owner", "Value": "platform"}])
    iam.put_user_policy(UserName="deployer", PolicyName="git", PolicyDocument=doc([allow("codecommit:GitPush")]))
    k1 = iam.create_access_key(UserName="deployer")["AccessKey"]["AccessKeyId"]
    k2 = iam.create_access_key(UserName="deployer")["AccessKey"]["AccessKeyId"]
    ssh = iam.upload_ssh_public_key(UserName="deployer", SSHPublicKeyBody=SSH_KEY)["SSHPublicKey"]["SSHPublicKeyId"]
    facts.update(stale_key=k1, never_used_key=k2, ssh_key=ssh)

    # A person with a password, MFA and one key, admin through a group.
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Correct-Horse-9")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(UserName="alice", SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="654321")
    iam.create_group(GroupName="admins")
    admin = iam.create_policy(PolicyName="admin-all", PolicyDocument=doc([allow("*")]))["Policy"]["Arn"]
    iam.attach_group_policy(GroupName="admins", PolicyArn=admin)
    iam.add_user_to_group(GroupName="admins", UserName="alice")
    facts["alice_key"] = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]

    # A legacy service user with an expired signing certificate.
    iam.create_user(UserName="svc-legacy", Tags=[{"Key": "team", "Value": "data"}])
    facts["signing_cert"] = iam.upload_signing_certificate(UserName="svc-legacy", CertificateBody=pem("utc-time-2012.pem"))["Certificate"]["CertificateId"]

    # A user with nothing to list.
    iam.create_user(UserName="bob")

    # Roles: recent, stale, never used, broad trust, service-linked.
    for name, trust in [("app-recent", TRUST_EC2), ("app-stale", TRUST_EC2), ("app-never", TRUST_EC2), ("open-door", TRUST_ANY)]:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust, Tags=[{"Key": "owner", "Value": "apps"}])
    iam.create_instance_profile(InstanceProfileName="app-recent-profile")
    iam.add_role_to_instance_profile(InstanceProfileName="app-recent-profile", RoleName="app-recent")
    iam.create_service_linked_role(AWSServiceName="elasticbeanstalk.amazonaws.com")

    # A server certificate (moto reports it as expired in 2012), OIDC and SAML providers.
    iam.upload_server_certificate(ServerCertificateName="old-site", CertificateBody=pem("utc-time-2012.pem"), PrivateKey="unused")
    iam.create_open_id_connect_provider(
        Url="https://token.actions.githubusercontent.com",
        ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=["6938fd4d98bab03faadb97b34396831e3780aea1"],
        Tags=[{"Key": "owner", "Value": "platform"}],
    )
    iam.create_saml_provider(Name="okta", SAMLMetadataDocument="<EntityDescriptor/>" + "<!-- padding -->" * 70)

    # Dates AWS has no API for.
    backend = iam_backend(MAIN)
    keys = {k.access_key_id: k for u in backend.users.values() for k in u.access_keys}
    keys[k1].create_date = days_ago(400)
    keys[k1].last_used = AccessKeyLastUsed(timestamp=days_ago(200), service="s3", region="eu-west-1")
    keys[k2].create_date = days_ago(300)
    keys[facts["alice_key"]].last_used = AccessKeyLastUsed(timestamp=days_ago(1), service="iam", region="us-east-1")
    roles = {r.name: r for r in backend.roles.values()}
    for name in roles:
        roles[name].create_date = days_ago(500)
    roles["app-recent"].last_used = days_ago(3)
    roles["app-stale"].last_used = days_ago(200)
    roles["open-door"].last_used = days_ago(1)
    return facts


def seed_org(url):
    """The caller's account manages an Organization of three members:
    `full` (its role has the IAM read policy of docs/providers/aws.md), `limited` (its role
    may only read the authorization details) and `norole` (its role deleted).
    IAM authorization is on once seeded, so denials are moto's own."""
    with open(os.path.join(ROOT, "docs", "providers", "aws.md")) as f:
        aws_doc = f.read()
    section = aws_doc[aws_doc.index("### Least-privilege IAM policy"):]
    member_policy = json.loads(section.split("```json")[1].split("```")[0])

    iam = client(url, "iam")
    iam.create_user(UserName="scanner")
    iam.put_user_policy(UserName="scanner", PolicyName="all", PolicyDocument=doc([allow("*")]))
    key = iam.create_access_key(UserName="scanner")["AccessKey"]
    org = client(url, "organizations")
    org.create_organization(FeatureSet="ALL")
    accounts = {}
    for name in ["full", "limited", "norole"]:
        status = org.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]
        accounts[name] = status["AccountId"]
    sts = client(url, "sts")
    policies = {"full": json.dumps(member_policy), "limited": doc([allow("iam:GetAccountAuthorizationDetails")])}
    for name, account in accounts.items():
        # moto's CreateAccount makes OrganizationAccountAccessRole, with no policy.
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="seed")["Credentials"]
        member = client(url, "iam", {
            "aws_access_key_id": creds["AccessKeyId"],
            "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"],
        })
        member.create_user(UserName=f"{name}-bot")
        member.create_access_key(UserName=f"{name}-bot")
        if name in policies:
            member.put_role_policy(RoleName="OrganizationAccountAccessRole", PolicyName="nhiscan", PolicyDocument=policies[name])
        else:
            member.delete_role(RoleName="OrganizationAccountAccessRole")
    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0
    return {"accounts": accounts, "access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"]}


def seed_bench(users, keys, roles):
    """`users` users, the first `keys - users` of them with two keys and the
    rest with one (or, with fewer keys than users, the first `keys` users with
    one key each), and `roles` roles with a managed policy. Seeded straight
    into moto's backend: over HTTP it would take longer than the scan."""
    backend = iam_backend(MAIN)
    policy = backend.create_policy(
        description="", path="/", policy_document=doc([allow(["s3:GetObject", "s3:PutObject"])]), policy_name="app", tags=[]
    )
    two = max(0, min(users, keys - users))
    one = min(users, keys) - two
    for i in range(users):
        backend.create_user(region_name="us-east-1", user_name=f"svc-{i:05d}", path="/", tags=[])
        for _ in range(2 if i < two else 1 if i < two + one else 0):
            backend.create_access_key(f"svc-{i:05d}", prefix="AKIA")
    for i in range(roles):
        backend.create_role(
            role_name=f"app-{i:05d}", assume_role_policy_document=TRUST_EC2, path="/", permissions_boundary=None,
            description="", tags=[], max_session_duration="3600", linked_service=None,
        )
        backend.attach_role_policy(policy.arn, f"app-{i:05d}")
    return {"users": users, "users_with_keys": two + one, "keys": 2 * two + one, "roles": roles}


SSH_KEY = (
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDMXqLrVGgWSMg1HpbF1CKZy1Ycbt9qlM2G4bs5kYmlbQ3gDmw5Ee5FfUNGaqPDoJVcM6"
    "n+LAbHBj6rMOpvNzT0O5TqZ6Nu9dRnSdspUp3IZQbhSuFYe2GnRG8tcLvBL7ijHwpqJbb7lfJdW+3tXbDCkRcrn3rHLUphpx3S3aS5wQ"
    "kOmRc0HgQkhYZLWDd3gS5ex1C7W3QYwJlYYoRNXnrnWFPGLUdUbyqsmP9CrJ+dpCk4TT7TwmOLSS+TkVDTnR6cgQmyNuCg6y4ONu8Z8"
    "o5OaI0QmxHDlRgHAYCWBoUMXgHrmNtyFPhAUIxFMRgP0HzeoJgrVxeHQCMBbeeNyrgUR nhiscan-test"
)


def main():
    # Request logs and the tracebacks of actions moto does not implement (answered
    # with HTTP 500, which the tests expect) would drown the test output.
    logging.disable(logging.CRITICAL)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    if SCENARIO == "account":
        facts = seed_account(url)
    elif SCENARIO == "org":
        facts = seed_org(url)
    elif SCENARIO == "bench":
        facts = seed_bench(*(int(a) for a in ARGS))
    else:
        sys.exit(f"unknown scenario {SCENARIO!r}")
    if os.environ.get("MOTO_ENABLE_RECORDING"):
        recorder.reset_recording()
    print("READY", url, NOW.isoformat().replace("+00:00", "Z"), json.dumps(facts), flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
