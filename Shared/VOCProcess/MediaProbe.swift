import Foundation

/// What ffprobe reads from a recording: the first audio stream's channel count and the
/// duration. Ingest uses it for every format whose header it does not parse itself, and
/// the transcribe-adapter to decide whether a call has two sides.
public enum MediaProbe {
    public struct Facts: Sendable, Equatable {
        public var channels: Int
        public var durationMs: Int?

        public init(channels: Int, durationMs: Int?) {
            self.channels = channels
            self.durationMs = durationMs
        }
    }

    public enum Failure: Error, Sendable, Equatable {
        /// ffprobe is not installed or could not be started.
        case toolMissing(String)
        /// ffprobe read the file and found no audio stream, or could not read it; the
        /// text is what ffprobe said.
        case unreadable(String)
    }

    public static func probe(_ path: String, ffprobe: String = "ffprobe") async -> Result<Facts, Failure> {
        guard let tool = ChildProcess.resolve(ffprobe) else {
            return .failure(.toolMissing("\(ffprobe) is not installed (apt-get install ffmpeg)"))
        }
        let result = await ChildProcess.runInBackground([
            tool, "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=channels:format=duration",
            "-of", "default=noprint_wrappers=1", path,
        ])
        guard let result else { return .failure(.toolMissing("cannot start \(tool)")) }
        var values: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        guard result.status == 0, let channels = values["channels"].flatMap({ Int($0) }), channels > 0 else {
            let said = result.status == 0 ? "no audio stream" : lastLines(result.output)
            return .failure(.unreadable(said.isEmpty ? "no audio stream" : said))
        }
        let duration = values["duration"].flatMap(Double.init).map { Int(($0 * 1000).rounded()) }
        return .success(Facts(channels: channels, durationMs: duration))
    }

    public static func lastLines(_ output: String) -> String {
        output.split(separator: "\n").suffix(3).joined(separator: " | ")
    }
}
