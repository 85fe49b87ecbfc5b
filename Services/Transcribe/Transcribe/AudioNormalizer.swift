import Dispatch
import Foundation
import VOCProcess

/// Turns any recording ffmpeg reads (WAV, MP3, AAC/M4A, Opus, AMR, video files…) into
/// 16 kHz 16-bit PCM, keeping the two channels of a stereo call apart.
public struct AudioNormalizer: Sendable {
    public var ffmpegPath: String
    public var ffprobePath: String

    public init(ffmpeg: String = "ffmpeg", ffprobe: String = "ffprobe") {
        ffmpegPath = ffmpeg
        ffprobePath = ffprobe
    }

    /// Decodes `path`.
    /// - Parameters:
    ///   - path: the recording.
    ///   - keepStereo: keep the first two channels apart; otherwise mix down to mono.
    ///   - workFolder: where the decoded samples are written for a moment.
    /// - Throws: ``TranscribeError/Code/audioCorrupt`` when ffmpeg cannot decode it,
    ///   ``TranscribeError/Code/toolFailed`` when ffmpeg cannot be run.
    public func decode(_ path: String, keepStereo: Bool, workFolder: String) async throws(TranscribeError) -> PCMAudio {
        let channels = keepStereo ? min(2, try await channelCount(path)) : 1
        let rawPath = workFolder + "/decoded-\(UUID().uuidString).s16le"
        defer { unlink(rawPath) }
        let ffmpeg = try executable(ffmpegPath)
        let result = await Self.run([
            ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", path, "-vn", "-map", "0:a:0",
            "-ac", "\(channels)", "-ar", "\(PCMAudio.sampleRate)", "-acodec", "pcm_s16le", "-f", "s16le", rawPath,
        ])
        guard let result else { throw TranscribeError(.toolFailed, "cannot start \(ffmpeg)") }
        guard result.status == 0 else {
            throw TranscribeError(.audioCorrupt, "ffmpeg cannot decode the recording: \(Self.lastLines(result.output))")
        }
        guard let data = FileManager.default.contents(atPath: rawPath), !data.isEmpty else {
            throw TranscribeError(.audioCorrupt, "the recording holds no audio samples")
        }
        return PCMAudio(interleavedS16LE: data, channelCount: channels)
    }

    /// The channel count of the first audio stream.
    func channelCount(_ path: String) async throws(TranscribeError) -> Int {
        let ffprobe = try executable(ffprobePath)
        let result = await Self.run([ffprobe, "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=channels",
                                     "-of", "csv=p=0", path])
        guard let result else { throw TranscribeError(.toolFailed, "cannot start \(ffprobe)") }
        guard result.status == 0, let count = Int(result.output.trimmingCharacters(in: .whitespacesAndNewlines)), count > 0 else {
            let said = result.output.isEmpty ? "no audio stream" : Self.lastLines(result.output)
            throw TranscribeError(.audioCorrupt, "ffprobe cannot read the recording: \(said)")
        }
        return count
    }

    private func executable(_ name: String) throws(TranscribeError) -> String {
        guard let path = ChildProcess.resolve(name) else {
            throw TranscribeError(.toolFailed, "\(name) is not installed (apt-get install ffmpeg)")
        }
        return path
    }

    /// Runs a tool on a thread of its own: waitpid blocks, and the cooperative pool must not.
    static func run(_ argv: [String]) async -> (status: Int32, output: String)? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: ChildProcess.run(argv))
            }
        }
    }

    private static func lastLines(_ output: String) -> String {
        output.split(separator: "\n").suffix(3).joined(separator: " | ")
    }
}
