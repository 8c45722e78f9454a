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
