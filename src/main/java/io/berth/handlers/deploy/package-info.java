/**
 * The {@code deploy_service} handler of the Port POC: triggers a deployment in a CI/CD system over
 * its REST API (a GitHub Actions {@code workflow_dispatch}, a GitLab pipeline trigger, an Argo CD
 * sync), links it, streams its progress into the run's log and polls it to its end within
 * {@code BERTH_DEPLOY_TIMEOUT}. Inactive, and building no HTTP client, unless one system is configured
 * ({@code BERTH_DEPLOY_*}). A template for handlers that drive another system's long-running job.
 */
package io.berth.handlers.deploy;
