package io.mpcw.registry.auth;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Guards {@code /api/**}; OpenAPI and the actuator (own port) stay open. */
@Configuration(proxyBeanMethods = false)
class AuthConfiguration implements WebMvcConfigurer {
  private final ClusterTokenVerifier verifier;

  AuthConfiguration(ClusterTokenVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new ClusterTokenInterceptor(verifier)).addPathPatterns("/api/**");
  }
}
