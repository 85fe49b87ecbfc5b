import Foundation

/// A PCM WAV made in memory: a tone on each channel, so tests need no audio tools.
public enum TestAudio {
    public static func wav(channels: Int = 2, sampleRate: Int = 8_000, milliseconds: Int = 500) -> [UInt8] {
        let frames = sampleRate * milliseconds / 1000
        var samples: [UInt8] = []
        samples.reserveCapacity(frames * channels * 2)
        for frame in 0..<frames {
            for channel in 0..<channels {
                let value = Int16(8_000 * sin(Double(frame) * Double(channel + 1) * 2 * .pi * 440 / Double(sampleRate)))
                samples.append(UInt8(truncatingIfNeeded: value))
                samples.append(UInt8(truncatingIfNeeded: value >> 8))
            }
        }
        func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        func le16(_ value: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        var bytes = Array("RIFF".utf8) + le32(36 + samples.count) + Array("WAVE".utf8)
        bytes += Array("fmt ".utf8) + le32(16) + le16(1) + le16(channels) + le32(sampleRate)
        bytes += le32(sampleRate * channels * 2) + le16(channels * 2) + le16(16)
        bytes += Array("data".utf8) + le32(samples.count) + samples
        return bytes
    }
}
