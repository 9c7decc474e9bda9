namespace ContivKsr.Kv.Cli;

/// <summary>The help text (--help) and the short reminder printed with a usage error.</summary>
internal static class Usage
{
    public const string Short = "usage: kvctl [options] get|put|del|ls|rmtree|cas|watch ARGS...   (kvctl --help for details)";

    public const string Full = """
        kvctl - read and write a key/value store (etcd, Consul, ZooKeeper) the way libkv and contiv-ksr do

        usage: kvctl [options] COMMAND ARGS...

        commands:
          get KEY                 print the value's raw bytes (nothing added; --json: {"key","value","lastIndex"})
          put KEY VALUE|@FILE|-   write VALUE, the contents of FILE, or standard input ("-")
          del KEY                 delete a key (fails if it does not exist)
          ls [DIR]                list every key below DIR, recursively, one per line (--json: array of objects)
          rmtree DIR              delete DIR and every key below it (not the root "/")
          cas KEY VALUE INDEX     write only if the key's index is still INDEX (0: only if the key does not exist);
                                  prints the new index
          watch KEY               print the current value, then one line per change, until Ctrl-C or deletion
          watch --tree DIR        print one line per snapshot of DIR: first the current one, then after each change

        options:
          --backend B                       store backend: etcd (default; etcd's v3 keys, alias etcdv3),
                                            etcdv2 (etcd's v2 keys as "ETCDCTL_API=2 etcdctl set" wrote them, on
                                            etcd 3.4/3.5 with --enable-v2; get, put, del and ls only),
                                            consul, zookeeper (alias zk)
          --uri H:P[,H:P...]                endpoints, tried in order (default: the backend's local port,
                                            etcd 127.0.0.1:2379, consul 127.0.0.1:8500, zookeeper 127.0.0.1:2181)
          --timeout S                       connection timeout in seconds (default 10)
          --tls-ca F --tls-cert F --tls-key F   TLS: CA to trust, client certificate and key (PEM files)
          --insecure-skip-tls-verify        accept any server certificate (testing only)
          --username U --password P         etcd user / ZooKeeper digest credentials
          --token T                         Consul ACL token
          --etcd-leading-slash              etcd v3: keys are stored as "/KEY", as Go clients (contiv's cn-infra,
                                            the Go contiv-ksr) wrote them; KEYs are given and printed as usual
          --ttl S                           put/cas: the key expires S seconds after the write
          --json                            machine-readable output (watch: one JSON document per line)
          --                                end of options (for values starting with "--")

        exit status: 0 success; 1 store error (key not found, CAS conflict, store unreachable, access denied,
        unreadable input file); 2 usage error (bad command line or store configuration).
        """;
}
