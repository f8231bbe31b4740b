/**
 * The {@code scale_service} handler of the Port POC: patches a Deployment's replicas through the
 * Kubernetes API (Quarkus's fabric8 client) and waits, within {@code BERTH_SCALE_ROLLOUT_TIMEOUT},
 * until the rollout is done. Inactive, and building no Kubernetes client, unless
 * {@code BERTH_SCALE_NAMESPACES} is set. A template for blocking handlers that call a synchronous SDK.
 */
package io.berth.handlers.scale;
