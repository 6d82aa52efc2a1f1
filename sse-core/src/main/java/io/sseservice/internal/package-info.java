/**
 * Code shared between sse-service modules. Not an API: exported only to our own modules and
 * free to change in any release.
 */
package io.sseservice.internal;
