#!/usr/bin/env python3
"""Prints the principals where nhiscan and Cloudsplaining disagree about
privilege escalation or admin, from their reports on the same export.

- nhiscan: `privilege.escalations` (paths) and `privilege.level == "admin"`
  of every identity in `nhiscan scan --format json`.
- Cloudsplaining: the `PrivilegeEscalation` findings of every policy that
  reaches the principal (its inline and managed policies and, for users, its
  groups'). Cloudsplaining has no admin verdict; its nearest is a policy whose
  `ServiceWildcard` findings include `iam` (`*` or `iam:*`, on any resource).

Each disagreement gets a cause, read from nhiscan's evidence; docs/development.md
explains each cause. "unexplained" would be a bug to look into.

Usage: compare-cloudsplaining.py NHISCAN_JSON CLOUDSPLAINING_RESULTS_JSON [MAX_ROWS]
"""
import collections
import json
import sys

POLICY_KINDS = ("inline_policies", "customer_managed_policies", "aws_managed_policies")


def cloudsplaining(results):
    policies = {}
    for kind in POLICY_KINDS:
        policies.update(results.get(kind, {}))

    def attached(entry):
        return [pid for kind in POLICY_KINDS for pid in entry.get(kind, {})]

    verdicts = {}
    for kind in ("users", "roles"):
        for principal in results.get(kind, {}).values():
            ids = attached(principal)
            # A user's `groups` maps each group's name to the group's entry.
            for group in principal.get("groups", {}).values() if kind == "users" else ():
                ids += attached(group)
            methods, admin = set(), False
            for pid in ids:
                p = policies.get(pid)
                if not p or p.get("is_excluded"):
                    continue
                methods.update(f["type"] for f in p["PrivilegeEscalation"]["findings"])
                admin |= "iam" in p["ServiceWildcard"]["findings"]
            verdicts[principal["arn"]] = (admin, sorted(methods))
    return verdicts


def nhiscan(report):
    return {
        i["id"]: (i["privilege"]["level"] == "admin", [e["path"] for e in i["privilege"]["escalations"]])
        for i in report["identities"]
    }


# Paths nhiscan checks that Cloudsplaining's list does not have.
NHISCAN_ONLY_PATHS = {"update-cloudformation-stack", "ssm-send-command", "ssm-start-session"}


def cause(identity, nh_side):
    """Why the tools disagree on this principal, from nhiscan's evidence.
    `nh_side` is true when nhiscan flags and Cloudsplaining does not."""
    p = identity["privilege"]
    if "/aws-service-role/" in identity["id"] and nh_side:
        return "service-linked role (nhiscan's rules skip it)"
    capped = {c["via"] for c in p["capped"]}
    if not nh_side:
        if "boundary" in capped:
            return "permissions boundary caps it"
        if capped:
            return "a Deny removes it"
        return "unexplained"
    if p["level"] == "admin" and any(a.startswith("NotAction") for e in p["evidence"] for a in e["actions"]):
        return "NotAction grant"
    for e in p["escalations"]:
        if any(" on arn:" in a for a in e["actions"]):
            return "resource pattern covers its own policy or identity"
    for e in p["escalations"]:
        if any(ev["conditions"] for ev in e["evidence"]):
            return "conditional statement"
    for e in p["escalations"]:
        if len({(ev["policy"], ev["via"]) for ev in e["evidence"]}) > 1:
            return "steps split across policies"
    if all(e["path"] in NHISCAN_ONLY_PATHS for e in p["escalations"]):
        return "path not in Cloudsplaining's list"
    return "unexplained"


def main(nh_path, cs_path, max_rows=40):
    report = json.load(open(nh_path))
    identities = {i["id"]: i for i in report["identities"]}
    nh = nhiscan(report)
    cs = cloudsplaining(json.load(open(cs_path)))
    rows, kinds, causes = [], collections.Counter(), collections.Counter()
    for arn in sorted(set(nh) | set(cs)):
        n_admin, n_paths = nh.get(arn, (False, []))
        c_admin, c_methods = cs.get(arn, (False, []))
        what = []
        if n_admin != c_admin:
            what.append("admin: " + ("nhiscan only" if n_admin else "Cloudsplaining only"))
        if bool(n_paths) != bool(c_methods):
            what.append("escalation: " + ("nhiscan only" if n_paths else "Cloudsplaining only"))
        if what:
            kinds.update(what)
            nh_side = (n_admin and not c_admin) or (bool(n_paths) and not c_methods)
            why = cause(identities[arn], nh_side) if arn in identities else "unexplained"
            causes[why] += 1
            short = lambda xs: ", ".join(xs[:3]) + (f" +{len(xs) - 3}" if len(xs) > 3 else "") or "-"
            rows.append((arn.split(":", 5)[-1], "; ".join(what),
                         ("admin " if n_admin else "") + short(n_paths),
                         ("iam:* " if c_admin else "") + short(c_methods), why))
    agree = len(set(nh) | set(cs)) - len(rows)
    print(f"{len(set(nh) | set(cs))} principals: {agree} agree, {len(rows)} disagree")
    for k, n in sorted(kinds.items()):
        print(f"  {k}: {n}")
    print("by cause (see docs/development.md, \"nhiscan and Cloudsplaining\"):")
    for k, n in causes.most_common():
        print(f"  {k}: {n}")
    if rows:
        head = ("principal", "disagreement", "nhiscan", "Cloudsplaining", "cause")
        widths = [min(44, max(len(r[i]) for r in rows + [head])) for i in range(5)]
        fmt = " | ".join(f"{{:{w}.{w}}}" for w in widths)
        print(fmt.format(*head))
        print("-+-".join("-" * w for w in widths))
        for r in rows[:max_rows]:
            print(fmt.format(*r))
        if len(rows) > max_rows:
            print(f"... and {len(rows) - max_rows} more")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *(int(a) for a in sys.argv[3:4]))
