/** A Spring MVC app on sse-spring-boot-starter: streams per user behind HTTP Basic. */
@NullMarked
package io.sseservice.examples.springmvc;

import org.jspecify.annotations.NullMarked;
