/**
 * The {@code scale_service} handler of the Port POC: patches a Deployment's replicas through the
 * Kubernetes API (Quarkus's fabric8 client) and waits, within {@code BERTH_SCALE_ROLLOUT_TIMEOUT},
 * until the rollout is done. Inactive, and building no Kubernetes client, unless
 * {@code BERTH_SCALE_NAMESPACES} is set. A template for blocking handlers that call a synchronous SDK.
 * Only typed resources are read and written ({@code Deployment} here, {@code Secret} in
 * {@code create_database}): application.properties hides the fabric8 model's lists of kinds from the
 * extension, which would otherwise load every model class at start-up, so untyped (kind-to-class)
 * deserialization is not available to a handler without registering its kinds.
 */
package io.berth.handlers.scale;
