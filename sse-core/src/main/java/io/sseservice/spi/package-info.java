/**
 * Extension points of the core: {@link io.sseservice.spi.Transport} for HTTP stacks,
 * {@link io.sseservice.spi.MessageCodec} for message formats.
 */
@NullMarked
package io.sseservice.spi;

import org.jspecify.annotations.NullMarked;
