/**
 * Server-Sent Events from {@code com.sun.net.httpserver.HttpServer}: see
 * {@link io.sseservice.jdk.JdkSse}. A zero-dependency <b>development</b> adapter: the JDK's
 * server lets one slowly sent request stop it (without an executor; with one, one request per
 * thread), keeps every connection whose peer went away on JDK 17 (about 4.5 KB each, fixed in
 * JDK 21), and gives no socket to detect a vanished peer before the kernel gives up (about
 * 16 minutes). Serve untrusted clients with another adapter; docs/RELIABILITY.md states each
 * limit with its measured figure and the JDK system properties that bound slow requests.
 */
@NullMarked
package io.sseservice.jdk;

import org.jspecify.annotations.NullMarked;
