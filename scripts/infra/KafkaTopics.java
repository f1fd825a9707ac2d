// Used by kafka.sh: waits until the broker serves metadata, then creates the
// missing topics, all in ONE JVM. Running TopicCommand once per topic costs a
// JVM start (~2 s of CPU) per topic, which on a busy 2-core machine took
// over 40 s for the eight topics.
//
// usage: java -cp '<kafka libs>/*' KafkaTopics.java <bootstrap> <timeout-s> name:partitions...
// Replication factor is always 1 (single broker). Exit 0 when every topic
// exists; prints one "name partitions" line per topic.

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

public class KafkaTopics {
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: KafkaTopics <bootstrap> <timeout-s> name:partitions...");
      System.exit(2);
    }
    String bootstrap = args[0];
    long deadline = System.currentTimeMillis() + Long.parseLong(args[1]) * 1000;
    Map<String, Integer> wanted = new LinkedHashMap<>();
    for (int i = 2; i < args.length; i++) {
      String[] p = args[i].split(":");
      wanted.put(p[0], Integer.parseInt(p[1]));
    }

    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");

    try (Admin admin = Admin.create(props)) {
      // A freshly started broker accepts connections before it has joined the
      // KRaft quorum; listing topics only succeeds once it can serve metadata.
      Set<String> existing;
      while (true) {
        try {
          existing = admin.listTopics().names().get();
          break;
        } catch (ExecutionException e) {
          if (System.currentTimeMillis() > deadline) {
            System.err.println("broker at " + bootstrap + " not ready: " + e.getCause());
            System.exit(1);
          }
          Thread.sleep(500);
        }
      }

      List<NewTopic> missing = new ArrayList<>();
      for (Map.Entry<String, Integer> t : wanted.entrySet()) {
        if (!existing.contains(t.getKey())) {
          missing.add(new NewTopic(t.getKey(), t.getValue(), (short) 1));
        }
      }
      if (!missing.isEmpty()) {
        for (Map.Entry<String, ?> r : admin.createTopics(missing).values().entrySet()) {
          try {
            ((org.apache.kafka.common.KafkaFuture<?>) r.getValue()).get();
            System.err.println("created " + r.getKey());
          } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
              System.err.println("cannot create " + r.getKey() + ": " + e.getCause());
              System.exit(1);
            }
          }
        }
      }

      if (!wanted.isEmpty()) {
        Map<String, TopicDescription> desc = admin.describeTopics(wanted.keySet()).allTopicNames().get();
        for (Map.Entry<String, Integer> t : wanted.entrySet()) {
          int n = desc.get(t.getKey()).partitions().size();
          System.out.println(t.getKey() + " " + n);
          if (n != t.getValue()) {
            System.err.println("warning: " + t.getKey() + " has " + n + " partitions, wanted " + t.getValue());
          }
        }
      }
    }
  }
}
