package io.mpcw.orchestrator.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.orchestrator.config.ApiRole;
import io.mpcw.orchestrator.web.Problems;
import io.mpcw.types.problem.ProblemType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/** API keys on {@code /api/**}; OpenAPI document open; actuator lives on the management port. */
@Configuration
public class SecurityConfig {
  private static final String SUBMIT = ApiRole.SUBMIT.name();
  private static final String READ = ApiRole.READ.name();

  /**
   * No Spring Security observations (requests, authentications, authorizations): one per security
   * filter per request, a few per cent of the orchestrator's CPU under load, read by no metric we
   * export. Turning them off by property instead still wraps every filter in a no-op one.
   */
  @Bean
  static SecurityObservationSettings securityObservations() {
    return SecurityObservationSettings.noObservations();
  }

  @Bean
  SecurityFilterChain api(HttpSecurity http, ApiKeyRegistry keys, ObjectMapper json)
      throws Exception {
    return http.csrf(csrf -> csrf.disable())
        .httpBasic(basic -> basic.disable())
        .formLogin(form -> form.disable())
        .logout(logout -> logout.disable())
        .requestCache(cache -> cache.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterBefore(new ApiKeyAuthenticationFilter(keys), AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers("/actuator/**", "/v3/api-docs/**", "/error")
                    .permitAll()
                    .requestMatchers(HttpMethod.GET, "/api/**")
                    .hasAnyRole(SUBMIT, READ)
                    .requestMatchers("/api/**")
                    .hasRole(SUBMIT)
                    .anyRequest()
                    .denyAll())
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(
                        (req, res, ex) ->
                            write(
                                json,
                                res,
                                Problems.of(
                                    ProblemType.UNAUTHORIZED,
                                    "Send a valid API key as 'Authorization: Bearer <key>'.")))
                    .accessDeniedHandler(
                        (req, res, ex) ->
                            write(
                                json,
                                res,
                                Problems.of(
                                    ProblemType.FORBIDDEN,
                                    "This API key's role does not allow "
                                        + req.getMethod()
                                        + " "
                                        + req.getRequestURI()
                                        + "."))))
        .build();
  }

  private static void write(ObjectMapper json, HttpServletResponse res, ProblemDetail problem)
      throws IOException {
    res.setStatus(problem.getStatus());
    res.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    if (problem.getStatus() == 401) {
      res.setHeader("WWW-Authenticate", "Bearer");
    }
    json.writeValue(res.getOutputStream(), problem);
  }
}
