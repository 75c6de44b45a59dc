package io.mpcw.orchestrator.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads {@code Authorization: Bearer <api key>}. A request without a valid key stays anonymous and
 * is refused with 401 by the authorization rules; the key itself is never logged.
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {
  private final ApiKeyRegistry registry;

  ApiKeyAuthenticationFilter(ApiKeyRegistry registry) {
    this.registry = registry;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    registry
        .authenticate(request)
        .ifPresent(
            key -> {
              var auth =
                  new UsernamePasswordAuthenticationToken(
                      key.name(),
                      null,
                      List.of(new SimpleGrantedAuthority(key.role().authority())));
              SecurityContextHolder.getContext().setAuthentication(auth);
            });
    chain.doFilter(request, response);
  }
}
