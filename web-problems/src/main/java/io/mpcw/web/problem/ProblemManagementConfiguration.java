package io.mpcw.web.problem;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/** The same problem JSON on a management port that runs in its own child context. */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class ProblemManagementConfiguration {

  @Bean
  FilterRegistrationBean<ProblemResponseFilter> managementProblemResponseFilter() {
    return ProblemWebConfiguration.filter();
  }

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> managementProblemErrorReports() {
    return ProblemWebConfiguration.valve();
  }
}
