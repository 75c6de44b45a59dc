package io.mpcw.registry.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;

/** Refuses API calls without the cluster token before any handler runs. */
class ClusterTokenInterceptor implements HandlerInterceptor {
  private final ClusterTokenVerifier verifier;

  ClusterTokenInterceptor(ClusterTokenVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!verifier.isClusterMember(
        Optional.ofNullable(request.getHeader(HttpHeaders.AUTHORIZATION)))) {
      throw new UnauthenticatedException();
    }
    return true;
  }
}
