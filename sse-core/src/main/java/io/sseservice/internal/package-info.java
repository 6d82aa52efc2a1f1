/**
 * Code shared between sse-service modules. Not an API: exported only to our own modules and
 * free to change in any release.
 *
 * <p>Null policy: nothing is null unless marked {@code @Nullable}.
 */
@NullMarked
package io.sseservice.internal;

import org.jspecify.annotations.NullMarked;
