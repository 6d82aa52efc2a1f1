/**
 * Server-Sent Events on Netty: {@link io.sseservice.netty.NettySse} for your own pipeline,
 * {@link io.sseservice.netty.NettySseServer} for a ready HTTP/1.1 + h2c server.
 */
@NullMarked
package io.sseservice.netty;

import org.jspecify.annotations.NullMarked;
