import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion with posix_spawn and waitpid. Foundation's `Process`
/// can miss the exit of a child whose own children live on (pg_ctl leaves the server
/// running), so it is not used here.
public enum ChildProcess {
    /// Runs `argv` (`argv[0]` an absolute path) with stdin from `/dev/null`.
    /// - Parameters:
    ///   - argv: the program and its arguments.
    ///   - environment: the child's environment; the parent's when nil.
    /// - Returns: the exit status (128 + signal when killed) and stdout and stderr
    ///   together, or nil when the program could not be started.
    public static func run(_ argv: [String], environment: [String: String]? = nil) -> (status: Int32, output: String)? {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("voc-child-\(UUID().uuidString)").path
        defer { unlink(outputPath) }
        guard let child = SpawnedProcess(argv, environment: environment, outputPath: outputPath) else { return nil }
        let code = child.waitForExit()
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return (code, output)
    }

    /// The absolute path of `name` on `PATH` (or `name` itself when it holds a slash).
    public static func resolve(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for folder in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// A child process started with posix_spawn, its output appended to a file; one owner
/// waits for it.
public final class SpawnedProcess: Sendable {
    public let pid: pid_t

    /// Starts `argv` (`argv[0]` an absolute path), stdin from `/dev/null`, stdout and
    /// stderr appended to `outputPath` (or discarded when nil).
    /// - Parameter ownGroup: start the child in a process group of its own, so a
    ///   terminal's Ctrl-C reaches only this process, which then stops the child itself.
    /// - Returns: nil when the program could not be started.
    public init?(_ argv: [String], environment: [String: String]? = nil, outputPath: String?, ownGroup: Bool = false) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let outputPath {
            posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // The child starts with no signal blocked and default handlers: it inherits the
        // spawning thread's mask, and the threads of a Swift process block signals (a
        // server started from one would never see SIGTERM).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if ownGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let started: Int32
        if let environment {
            var cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { cEnvironment.forEach { free($0) } }
            started = posix_spawn(&pid, argv[0], &actions, &attributes, &cArguments, &cEnvironment)
        } else {
            started = posix_spawn(&pid, argv[0], &actions, &attributes, &cArguments, environ)
        }
        guard started == 0 else { return nil }
        self.pid = pid
    }

    /// Blocks until the child exits.
    /// - Returns: its exit status, 128 + the signal when a signal ended it.
    public func waitForExit() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return Self.code(status)
    }

    /// The exit status if the child has exited, nil while it runs. Reaps the child.
    public func exitStatus() -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid { return Self.code(status) }
        if result == -1 && errno == ECHILD { return -1 }
        return nil
    }

    /// Sends a signal (SIGTERM by default).
    public func signal(_ signal: Int32 = SIGTERM) {
        kill(pid, signal)
    }

    private static func code(_ status: Int32) -> Int32 {
        let exited = (status & 0x7f) == 0
        return exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
