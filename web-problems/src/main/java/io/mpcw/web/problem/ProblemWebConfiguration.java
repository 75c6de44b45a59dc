package io.mpcw.web.problem;

import org.apache.catalina.core.StandardHost;
import org.apache.catalina.filters.FailedRequestFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureBefore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Problem JSON for every error of a servlet service: the first filter, {@code /error} and Tomcat's
 * error report. Applied to the main context by auto-configuration and to a separate management
 * port's context by {@link ProblemManagementConfiguration}.
 */
@AutoConfiguration
@AutoConfigureBefore(ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ProblemWebConfiguration {

  @Bean
  FilterRegistrationBean<ProblemResponseFilter> problemResponseFilter() {
    return filter();
  }

  /** Tomcat drops query parameters it cannot decode ({@code limit=%}); refuse such a request. */
  @Bean
  FilterRegistrationBean<FailedRequestFilter> failedRequestFilter() {
    FilterRegistrationBean<FailedRequestFilter> registration =
        new FilterRegistrationBean<>(new FailedRequestFilter());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    return registration;
  }

  @Bean
  ProblemErrorController problemErrorController() {
    return new ProblemErrorController();
  }

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
    return valve();
  }

  static FilterRegistrationBean<ProblemResponseFilter> filter() {
    FilterRegistrationBean<ProblemResponseFilter> registration =
        new FilterRegistrationBean<>(new ProblemResponseFilter());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.setDispatcherTypes(
        jakarta.servlet.DispatcherType.REQUEST,
        jakarta.servlet.DispatcherType.ERROR,
        jakarta.servlet.DispatcherType.ASYNC);
    return registration;
  }

  static WebServerFactoryCustomizer<TomcatServletWebServerFactory> valve() {
    return factory -> {
      // TRACE reaches ProblemResponseFilter, which refuses it with a problem body (never echoed)
      factory.addConnectorCustomizers(connector -> connector.setAllowTrace(true));
      factory.addContextCustomizers(
          context -> {
            if (context.getParent() instanceof StandardHost host) {
              host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
          });
    };
  }
}
