/**
 * Spring Boot auto-configuration for sse-service: an {@link io.sseservice.SseService} bean built
 * from {@code sse.*} properties ({@link io.sseservice.spring.SseProperties}) and
 * {@link io.sseservice.spring.SseServiceBuilderCustomizer} beans, a Jackson codec over the
 * application's {@code ObjectMapper}, Micrometer meters, and a graceful close before the web
 * server's graceful shutdown ({@link io.sseservice.spring.SseAutoConfiguration}); with actuator,
 * the {@code sse} health indicator and the {@link io.sseservice.spring.SseEndpoint} (on Spring
 * Boot 3 and 4).
 *
 * <p>Null policy: nothing is null unless marked {@code @Nullable}.
 */
@NullMarked
package io.sseservice.spring;

import org.jspecify.annotations.NullMarked;
