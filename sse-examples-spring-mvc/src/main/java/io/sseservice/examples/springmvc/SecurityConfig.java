package io.sseservice.examples.springmvc;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Every request needs HTTP Basic credentials of one of the {@link ExampleUsers}; no sessions.
 *
 * <p>Async dispatch needs no rule here: {@code ServletSse} starts async processing and completes
 * it itself, it never dispatches the request again, so the security filters run once, on the
 * REQUEST dispatch that opens the stream. (Spring MVC's own {@code SseEmitter} does dispatch
 * again, ASYNC, when it completes.)
 *
 * <p>CSRF protection is off because this example's clients are curl and tests, which send
 * credentials explicitly. An app whose browser pages POST with remembered credentials keeps it on.
 *
 * <p>Thread-safety: configuration; Spring calls it on one thread while the context starts.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

  /** Requires authentication everywhere, with HTTP Basic. */
  @Bean
  public SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
        .httpBasic(Customizer.withDefaults())
        .sessionManagement(
            session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable())
        .build();
  }

  /** Holds the users of {@code example.users.*}. */
  @Bean
  public InMemoryUserDetailsManager users(ExampleUsers users) {
    List<UserDetails> details =
        users.users().entrySet().stream()
            .map(
                user ->
                    User.withUsername(user.getKey())
                        .password(user.getValue())
                        .roles("USER")
                        .build())
            .toList();
    return new InMemoryUserDetailsManager(details);
  }
}
