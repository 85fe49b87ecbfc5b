import Foundation
import Logging
import VOCProcess

/// A PostgreSQL cluster of the project's own, in a data folder: the embedded default of
/// `voc up` and the throwaway server of the tests.
///
/// `initdb` refuses to run as root, so as root every server command runs as the
/// `postgres` system user, which then owns the folder.
public struct LocalPostgres: Sendable {
    public let dataDirectory: URL
    public let port: Int
    public let username: String
    let binDirectory: URL
    let logger: Logger

    /// Finds the server binaries of the newest installed PostgreSQL.
    /// - Throws: ``StoreError`` `.localCluster` when none is installed.
    public init(dataDirectory: URL, port: Int, username: String = "voc", logger: Logger) throws(StoreError) {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
            .compactMap { Int($0) }.sorted()
        guard let newest = versions.last else {
            throw StoreError(code: .localCluster, message: "no PostgreSQL server under /usr/lib/postgresql: apt-get install postgresql")
        }
        self.binDirectory = root.appendingPathComponent("\(newest)/bin")
        self.dataDirectory = Self.reachable(dataDirectory.standardizedFileURL, logger: logger)
        self.port = port
        self.username = username
        self.logger = logger
    }

    /// Where the cluster lives that was asked to live at `requested`. As root the server
    /// runs as `postgres`, which cannot enter a folder such as `/root` (mode 700); a
    /// cluster asked for under one lives in `/var/lib/voc/clusters/` instead, one folder
    /// per requested path, so the checkout can sit anywhere.
    static func reachable(_ requested: URL, logger: Logger) -> URL {
        guard getuid() == 0 else { return requested }
        let parent = requested.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        if ChildProcess.run(["/usr/sbin/runuser", "-u", "postgres", "--", "/usr/bin/test", "-x", parent.path])?.status == 0 {
            return requested
        }
        // FNV-1a of the requested path: stable across runs, distinct per checkout.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in requested.path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let relocated = URL(fileURLWithPath: "/var/lib/voc/clusters")
            .appendingPathComponent(String(hash, radix: 16) + "-" + requested.lastPathComponent)
        try? FileManager.default.createDirectory(at: relocated.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o755])
        logger.notice("the postgres user cannot enter the requested folder; the cluster lives elsewhere", metadata: [
            "requested": "\(requested.path)", "dir": "\(relocated.path)",
        ])
        return relocated
    }

    public var configuration: StoreConfiguration {
        StoreConfiguration(host: "127.0.0.1", port: port, username: username, password: nil, database: "postgres")
    }

    /// Initialises the folder if it is new and starts the server; an already running
    /// server on the folder is reused.
    public func start() throws(StoreError) {
        let fileManager = FileManager.default
        let asRoot = getuid() == 0
        if !fileManager.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) {
            try? fileManager.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
            if asRoot { try shell("/bin/chown", ["-R", "postgres:postgres", dataDirectory.path], asServerUser: false) }
            try shell(binDirectory.appendingPathComponent("initdb").path, [
                "-D", dataDirectory.path, "-U", username, "--auth=trust", "-E", "UTF8", "--no-locale",
            ])
            logger.info("initialised PostgreSQL cluster", metadata: ["dir": "\(dataDirectory.path)"])
        }
        if (try? shell(binDirectory.appendingPathComponent("pg_ctl").path, ["-D", dataDirectory.path, "status"])) != nil {
            logger.info("PostgreSQL already running", metadata: ["dir": "\(dataDirectory.path)"])
            return
        }
        let options = "-p \(port) -k \(dataDirectory.path) -c listen_addresses=127.0.0.1 -c max_connections=200"
        let serverLog = dataDirectory.appendingPathComponent("server.log")
        do {
            try shell(binDirectory.appendingPathComponent("pg_ctl").path, [
                "-D", dataDirectory.path, "-l", serverLog.path, "-o", options, "-w", "-t", "60", "start",
            ])
        } catch {
            // pg_ctl only says "examine the log"; the reason (port in use, …) is there.
            let log = (try? String(contentsOf: serverLog, encoding: .utf8)) ?? ""
            let reason = log.split(separator: "\n").filter { $0.contains("FATAL") || $0.contains("could not") }.suffix(3)
            throw StoreError(code: .localCluster, message: "PostgreSQL did not start on port \(port): "
                             + (reason.isEmpty ? error.message : reason.joined(separator: " | ")), detail: log)
        }
        logger.info("started PostgreSQL", metadata: ["port": "\(port)", "dir": "\(dataDirectory.path)"])
    }

    /// Stops the server (fast shutdown: clients are disconnected, data is kept).
    public func stop() throws(StoreError) {
        try shell(binDirectory.appendingPathComponent("pg_ctl").path, ["-D", dataDirectory.path, "-m", "fast", "-w", "stop"])
    }

    /// Creates a database unless it exists.
    public func createDatabase(_ name: String) throws(StoreError) {
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw StoreError(code: .configuration, message: "database name \(name) must use only letters, digits and _")
        }
        let exists = try psql(database: "postgres", "SELECT 1 FROM pg_database WHERE datname = '\(name)'")
        if exists.trimmingCharacters(in: .whitespacesAndNewlines) != "1" {
            try psql(database: "postgres", "CREATE DATABASE \(name)")
        }
    }

    /// Runs `sql` through psql as the cluster's superuser and returns what it printed.
    @discardableResult
    func psql(database: String, _ sql: String) throws(StoreError) -> String {
        try shell(binDirectory.appendingPathComponent("psql").path, [
            "-h", "127.0.0.1", "-p", "\(port)", "-U", username, "-d", database, "-v", "ON_ERROR_STOP=1", "-tAc", sql,
        ], asServerUser: false)
    }

    @discardableResult
    private func shell(_ executable: String, _ arguments: [String], asServerUser: Bool = true) throws(StoreError) -> String {
        let argv = asServerUser && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments
                                                 : [executable] + arguments
        let name = (executable as NSString).lastPathComponent
        guard let result = ChildProcess.run(argv) else {
            throw StoreError(code: .localCluster, message: "cannot run \(executable)")
        }
        guard result.status == 0 else {
            // The server's own words are what an operator needs here; they hold no secrets.
            let said = result.output.split(separator: "\n").suffix(5).joined(separator: " | ")
            throw StoreError(code: .localCluster, message: "\(name) \(arguments.last ?? "") failed (exit \(result.status)): \(said)",
                             detail: result.output)
        }
        return result.output
    }
}
