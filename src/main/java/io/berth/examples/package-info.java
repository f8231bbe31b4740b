/**
 * Sample Java handlers for dev mode and the README: the smallest handler, and one that reports
 * progress over time. Templates for users' own.
 */
package io.berth.examples;
