package io.sseservice.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * The kit on embedded Tomcat: 11 in the default run, 10.1 in the {@code tomcat-10.1} failsafe
 * execution, which swaps the Tomcat jars under the same test.
 */
class TomcatServletIT extends ServletContainerKit {

  private Tomcat tomcat;
  private Path baseDir;

  @SuppressWarnings("deprecation") // the one mapping call of Tomcat 10.1 and 11
  @Override
  protected int startContainer(SseServlet servlet) throws Exception {
    baseDir = Files.createTempDirectory("tomcat");
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxThreads", Integer.toString(CONTAINER_THREADS));
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", baseDir.toString());
    Wrapper wrapper = Tomcat.addServlet(context, "sse", servlet);
    wrapper.setAsyncSupported(true);
    context.addServletMappingDecoded("/sse", "sse");
    FilterDef filter = new FilterDef();
    filter.setFilterName("framework");
    filter.setFilter(new FrameworkHeaderFilter());
    filter.setAsyncSupported("true");
    context.addFilterDef(filter);
    FilterMap mapping = new FilterMap();
    mapping.setFilterName("framework");
    mapping.addURLPattern("/*");
    context.addFilterMap(mapping);
    tomcat.start();
    // the tomcat-10.1 execution swaps the jars: prove the run is on the Tomcat it claims
    assertThat(ServerInfo.getServerNumber())
        .startsWith(System.getProperty("expected.tomcat", "11."));
    return connector.getLocalPort();
  }

  @Override
  protected void stopServer() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }
}
