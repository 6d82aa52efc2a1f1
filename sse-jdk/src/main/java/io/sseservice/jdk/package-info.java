/** Server-Sent Events from {@code com.sun.net.httpserver.HttpServer}: see {@link io.sseservice.jdk.JdkSse}. */
@NullMarked
package io.sseservice.jdk;

import org.jspecify.annotations.NullMarked;
