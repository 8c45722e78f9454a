//! The provider against the demo cluster and small inline inputs.

use std::path::Path;

use super::*;
use crate::model::{LastUsed, PrivilegeLevel, Status};
use crate::providers::input;
use crate::scan::enrich::enrich;

fn load(files: &[(&str, &str)]) -> Inventory {
    let mut inventory = Inventory::default();
    for (name, text) in files {
        input::load_text(Path::new(name), text, &mut inventory).unwrap();
    }
    enrich(&mut inventory, &Loaded::defaults());
    inventory
}

#[test]
fn the_demo_cluster_tells_its_story() {
    let (name, text) = Kubernetes.demo()[0];
    let inv = load(&[(name, text)]);
    let deployer = inv.get("k8s:demo-eks/ci/serviceaccount/deployer").unwrap();
    assert_eq!(deployer.item.privilege.level, PrivilegeLevel::Admin);
    let d = deployer.item.details::<AccountDetails>().unwrap();
    assert_eq!(d.kubernetes.cloud_links[0].target, "arn:aws:iam::123456789012:role/build-runner");
    assert_eq!(d.kubernetes.pods, 1);
    assert_eq!(deployer.item.owner.as_ref().unwrap().name, "platform");

    let builder = inv.get("k8s:demo-eks/ci/serviceaccount/legacy-builder").unwrap();
    assert_eq!(builder.item.privilege.level, PrivilegeLevel::Privileged, "aggregated secrets read");
    let token = &builder.credentials[0].item;
    assert_eq!(token.id, "k8s:demo-eks/ci/serviceaccount/legacy-builder/legacy-token/legacy-builder-token");
    assert_eq!(token.last_used, LastUsed::At("2024-02-10T00:00:00Z".parse().unwrap()));
    assert_eq!(token.status, Status::Active);

    let billing = inv.get("k8s:demo-eks/payments/serviceaccount/billing").unwrap();
    assert_eq!(billing.credentials[0].item.last_used, LastUsed::Never, "created after tracking began");
    let system = inv.get("k8s:demo-eks/kube-system/serviceaccount/replicaset-controller").unwrap();
    assert!(system.item.platform_managed);
}
