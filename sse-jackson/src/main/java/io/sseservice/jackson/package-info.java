/** The Jackson {@link io.sseservice.spi.MessageCodec}: {@link io.sseservice.jackson.JacksonMessageCodec}. */
@NullMarked
package io.sseservice.jackson;

import org.jspecify.annotations.NullMarked;
