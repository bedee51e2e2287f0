import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Runs Neo4j Community embedded with its Bolt server on 127.0.0.1, on a persistent home directory.
 * Usage: java -cp 'lib/*' Launcher.java HOME BOLT_PORT PAGECACHE_BYTES [--exit-on-stdin-eof]
 * Prints "TG-NEO4J READY bolt://127.0.0.1:PORT" once the DBMS is built; shuts down cleanly on SIGTERM,
 * and, with --exit-on-stdin-eof, when its parent closes stdin (so a crashed test run leaves no orphan).
 */
public class Launcher {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    long pageCache = Long.parseLong(args[2]);
    boolean exitOnEof = args.length > 3 && args[3].equals("--exit-on-stdin-eof");

    SocketAddress address = new SocketAddress("127.0.0.1", port);
    DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, address)
        .setConfig(BoltConnector.advertised_address, address)
        .setConfig(HttpConnector.enabled, false)
        .setConfig(GraphDatabaseSettings.auth_enabled, false)
        .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
        .build();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      dbms.shutdown();
      stopped.countDown();
    }));
    System.out.println("TG-NEO4J READY bolt://127.0.0.1:" + port);
    System.out.flush();

    if (exitOnEof) {
      while (System.in.read() != -1) {
        // drain until the parent closes the pipe
      }
      System.exit(0);
    }
    stopped.await();
  }
}
