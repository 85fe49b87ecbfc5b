import Foundation
import Logging
import Synchronization
import Testing
import Transcribe
import VOCProcess
import VOCServiceTestSupport

/// The real local speech engine (faster-whisper in `.venv-whisper`), started once per
/// test process on a free port and stopped at exit.
///
/// `make test` installs it and sets `VOC_REQUIRE_WHISPER=1`: then a missing engine, or
/// missing espeak-ng / sox / ffmpeg, fails the tests. A plain `swift test` without
/// them skips these tests with a message.
enum LocalEngineFixture {
    /// `VOC_WHISPER_VENV`, else `.venv-whisper` at the repository root.
    static let venv: String = {
        if let venv = ProcessInfo.processInfo.environment["VOC_WHISPER_VENV"], !venv.isEmpty { return venv }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(LocalEngineSettings.defaultVenv).path
    }()

    static let required = ProcessInfo.processInfo.environment["VOC_REQUIRE_WHISPER"] == "1"

    static var toolsMissing: [String] {
        ["espeak-ng", "sox", "ffmpeg", "ffprobe"].filter { ChildProcess.resolve($0) == nil }
    }

    static var installed: Bool {
        LocalEngineSettings(venv: venv).missingPieces == nil && toolsMissing.isEmpty
    }

    /// Whether the tests that need the engine run: always under `make test`.
    static var enabled: Bool { installed || required }

    static let skipNote: Comment = "needs the local speech engine (make whisper) and espeak-ng, sox, ffmpeg; make test installs them"

    private static let server = Mutex<(settings: LocalEngineSettings, process: SpawnedProcess)?>(nil)

    /// The running engine's settings, starting it on first use.
    /// - Throws: when it is not installed or does not come up, naming what is missing.
    static func settings() async throws -> LocalEngineSettings {
        if let running = server.withLock({ $0?.settings }) { return running }
        if let missing = LocalEngineSettings(venv: venv).missingPieces {
            throw FixtureError("local speech engine not installed: missing \(missing); run make whisper")
        }
        if !toolsMissing.isEmpty { throw FixtureError("missing tools: \(toolsMissing.joined(separator: ", ")) (apt-get install espeak-ng sox ffmpeg)") }
        var settings = LocalEngineSettings(venv: venv, port: TestPostgres.freePort(), threads: 2)
        settings.logFile = NSTemporaryDirectory() + "/voc-test-whisper-\(getpid()).log"
        let local = LocalWhisperServer(settings: settings, logger: Logger(label: "test.whisper"))
        guard let process = try await local.startIfNeeded(timeout: .seconds(180)) else { return settings }
        let kept = server.withLock { current -> LocalEngineSettings in
            if let current { process.signal(SIGTERM); return current.settings }
            current = (settings, process)
            return settings
        }
        atexit {
            LocalEngineFixture.server.withLock { running in
                guard let process = running?.process else { return }
                process.signal(SIGTERM)
                for _ in 0..<50 where process.exitStatus() == nil { usleep(100_000) }
                process.signal(SIGKILL)
            }
        }
        return kept
    }

    struct FixtureError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
