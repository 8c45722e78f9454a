//! The cloud side of a cluster: the annotations that link a ServiceAccount
//! to a cloud identity (EKS IRSA, GKE Workload Identity, Azure Workload
//! Identity), and EKS's `kube-system/aws-auth` ConfigMap, which maps IAM
//! principals to Kubernetes groups. Kept in one file so the other clouds'
//! names stay out of the rest of the provider.

/// `(cloud, annotation)`: the annotations that link an account to a cloud identity.
pub const LINK_ANNOTATIONS: &[(&str, &str)] = &[
    ("aws", "eks.amazonaws.com/role-arn"),
    ("gcp", "iam.gke.io/gcp-service-account"),
    ("azure", "azure.workload.identity/client-id"),
];

/// The escalation path of write access to EKS's IAM-to-RBAC map.
pub const EKS_AUTH_PATH: &str = "aws-auth";
/// The ConfigMap that holds that map, in `kube-system`.
pub const EKS_AUTH_CONFIGMAP: &str = "aws-auth";

/// The inventory id (or native id) of the identity a link names, as the
/// cloud's own provider writes it: a role ARN is an AWS id; a Google service
/// account email becomes `gcp:projects/<project>/serviceAccounts/<email>`;
/// an Entra client id is matched as a native id.
pub fn link_target(cloud: &str, value: &str) -> String {
    match cloud {
        "gcp" => match value
            .split_once('@')
            .and_then(|(_, domain)| domain.strip_suffix(".iam.gserviceaccount.com"))
        {
            Some(project) => format!("gcp:projects/{project}/serviceAccounts/{value}"),
            None => value.to_string(),
        },
        _ => value.to_string(),
    }
}
