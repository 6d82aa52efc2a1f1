/**
 * Server-Sent Events from any Jakarta Servlet 6 container (Tomcat, Jetty, Undertow) and the
 * frameworks on them (Spring MVC, Javalin): see {@link io.sseservice.servlet.ServletSse} and
 * {@link io.sseservice.servlet.SseServlet}.
 */
@NullMarked
package io.sseservice.servlet;

import org.jspecify.annotations.NullMarked;
