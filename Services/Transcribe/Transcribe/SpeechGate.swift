import Foundation

/// How the energy gate tells speech from silence and low noise.
public struct SpeechGateSettings: Sendable, Equatable {
    /// Analysis frame.
    public var frameMs: Int = 20
    /// Frames quieter than this (dBFS, RMS) are never speech.
    public var floorDb: Double = -50
    /// A frame is speech when it is this much louder than the channel's noise floor
    /// (the 10th percentile of its frames)…
    public var marginDb: Double = 12
    /// …but the threshold never rises above this, so a channel that is talk from end to
    /// end is not cut.
    public var ceilingDb: Double = -32
    /// Shorter bursts (clicks, a cough) are dropped.
    public var minSpeechMs: Int = 120
    /// Pauses shorter than this inside speech are kept.
    public var mergeGapMs: Int = 400
    /// Kept around each region, so soft word onsets and endings are not clipped.
    public var paddingMs: Int = 200
    /// Silence put between kept regions in the audio sent to the engine.
    public var separatorMs: Int = 1_000

    public init() {}
}

/// An energy/VAD gate in front of the engine: only regions that look like speech are
/// sent, joined by short silences, and the engine's times are mapped back to the
/// recording's own, so silence, line noise and long holds cannot turn into words and
/// every word keeps its true time.
public struct SpeechGate: Sendable {
    public var settings: SpeechGateSettings
    public var sampleRate: Int

    public init(settings: SpeechGateSettings = SpeechGateSettings(), sampleRate: Int = PCMAudio.sampleRate) {
        self.settings = settings
        self.sampleRate = sampleRate
    }

    /// Frame loudness in dBFS (RMS), -120 for digital silence.
    func frameLevels(_ samples: [Float]) -> [Double] {
        let frame = max(1, sampleRate * settings.frameMs / 1000)
        var levels: [Double] = []
        levels.reserveCapacity(samples.count / frame + 1)
        var start = 0
        while start < samples.count {
            let end = min(samples.count, start + frame)
            var sum: Double = 0
            for index in start..<end { sum += Double(samples[index]) * Double(samples[index]) }
            let rms = (sum / Double(end - start)).squareRoot()
            levels.append(rms > 1e-6 ? 20 * log10(rms) : -120)
            start = end
        }
        return levels
    }

    /// The loudness a frame must reach to count as speech in this channel.
    func threshold(levels: [Double]) -> Double {
        guard !levels.isEmpty else { return settings.floorDb }
        let sorted = levels.sorted()
        let noiseFloor = sorted[sorted.count / 10]
        return max(settings.floorDb, min(settings.ceilingDb, noiseFloor + settings.marginDb))
    }

    /// The speech regions of a channel, as sample ranges, padded and merged.
    public func regions(_ samples: [Float]) -> [Range<Int>] {
        let levels = frameLevels(samples)
        let limit = threshold(levels: levels)
        let frame = max(1, sampleRate * settings.frameMs / 1000)
        // Runs of loud frames, in frames.
        var runs: [Range<Int>] = []
        var runStart: Int?
        for (index, level) in levels.enumerated() {
            if level >= limit {
                if runStart == nil { runStart = index }
            } else if let start = runStart {
                runs.append(start..<index)
                runStart = nil
            }
        }
        if let start = runStart { runs.append(start..<levels.count) }
        // Close short pauses, then drop short bursts.
        let mergeFrames = settings.mergeGapMs / max(1, settings.frameMs)
        var merged: [Range<Int>] = []
        for run in runs {
            if let last = merged.last, run.lowerBound - last.upperBound <= mergeFrames {
                merged[merged.count - 1] = last.lowerBound..<run.upperBound
            } else {
                merged.append(run)
            }
        }
        let minFrames = max(1, settings.minSpeechMs / max(1, settings.frameMs))
        let speech = merged.filter { $0.count >= minFrames }
        // Pad, in samples, and join regions the padding made touch.
        let padding = sampleRate * settings.paddingMs / 1000
        var result: [Range<Int>] = []
        for run in speech {
            let start = max(0, run.lowerBound * frame - padding)
            let end = min(samples.count, run.upperBound * frame + padding)
            if let last = result.last, start <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(end, last.upperBound)
            } else {
                result.append(start..<end)
            }
        }
        return result
    }

    /// The speech of a channel, ready for the engine, with the way back to true times.
    public func gate(_ samples: [Float]) -> GatedAudio {
        let kept = regions(samples)
        let separator = sampleRate * settings.separatorMs / 1000
        var gated: [Float] = []
        var pieces: [GatedAudio.Piece] = []
        for region in kept {
            if !gated.isEmpty { gated += [Float](repeating: 0, count: separator) }
            pieces.append(GatedAudio.Piece(gatedStart: gated.count, originalStart: region.lowerBound, length: region.count))
            gated += samples[region]
        }
        return GatedAudio(samples: gated, pieces: pieces, sampleRate: sampleRate, originalCount: samples.count)
    }
}

/// The speech of one channel joined into one stretch, and the map from its times to the
/// recording's.
public struct GatedAudio: Sendable {
    public struct Piece: Sendable, Equatable {
        public var gatedStart: Int
        public var originalStart: Int
        public var length: Int
    }

    public var samples: [Float]
    public var pieces: [Piece]
    public var sampleRate: Int
    public var originalCount: Int

    /// Milliseconds of the recording that were kept as speech.
    public var keptMs: Int { pieces.reduce(0) { $0 + $1.length } * 1000 / sampleRate }
    /// Milliseconds of the recording the gate held back as silence or noise.
    public var droppedMs: Int { (originalCount - pieces.reduce(0) { $0 + $1.length }) * 1000 / sampleRate }

    /// Maps a time in the gated audio to the recording's time. A time in a separator is
    /// moved to the nearer edge of the kept regions around it.
    public func originalMs(_ gatedMs: Int) -> Int {
        guard let piece = piece(at: gatedMs) else { return gatedMs }
        return original(gatedMs, in: piece)
    }

    /// Maps a word's span. Both ends stay in one region, the one the word overlaps
    /// most: engines stretch a word next to a pause over the pause, which here would
    /// reach into another region, maybe a minute away in the recording.
    /// - Returns: nil when the word lies wholly in the silence put between regions:
    ///   nothing was said there, so the engine made it up.
    public func originalSpan(startMs: Int, endMs: Int) -> (startMs: Int, endMs: Int)? {
        let start = startMs * sampleRate / 1000, end = max(start, endMs * sampleRate / 1000)
        var best: Piece?
        var bestOverlap = 0
        for piece in pieces {
            let overlap = min(end, piece.gatedStart + piece.length) - max(start, piece.gatedStart)
            if overlap > bestOverlap {
                best = piece
                bestOverlap = overlap
            }
        }
        guard let piece = best else { return pieces.isEmpty ? (startMs, max(startMs, endMs)) : nil }
        let mappedStart = original(startMs, in: piece)
        return (mappedStart, max(mappedStart, original(endMs, in: piece)))
    }

    /// The region a time belongs to; a time in a separator belongs to the nearer region.
    private func piece(at gatedMs: Int) -> Piece? {
        let sample = gatedMs * sampleRate / 1000
        guard let index = pieces.lastIndex(where: { $0.gatedStart <= sample }) else { return pieces.first }
        let piece = pieces[index]
        if sample > piece.gatedStart + piece.length, index + 1 < pieces.count {
            let next = pieces[index + 1]
            if next.gatedStart - sample < sample - (piece.gatedStart + piece.length) { return next }
        }
        return piece
    }

    private func original(_ gatedMs: Int, in piece: Piece) -> Int {
        let sample = gatedMs * sampleRate / 1000
        let offset = max(0, min(sample - piece.gatedStart, piece.length))
        return (piece.originalStart + offset) * 1000 / sampleRate
    }

    /// The kept regions (indices into ``pieces``) that no heard span overlaps.
    /// - Parameter heard: spans in the recording's time.
    public func silentPieces(heard: [(Int, Int)]) -> [Int] {
        pieces.indices.filter { index in
            let start = pieces[index].originalStart * 1000 / sampleRate
            let end = (pieces[index].originalStart + pieces[index].length) * 1000 / sampleRate
            return !heard.contains { $0.0 < end && $0.1 > start }
        }
    }

    /// One kept region alone, with its own map to the recording's time.
    public func region(_ index: Int) -> GatedAudio {
        let piece = pieces[index]
        return GatedAudio(samples: Array(samples[piece.gatedStart..<piece.gatedStart + piece.length]),
                          pieces: [Piece(gatedStart: 0, originalStart: piece.originalStart, length: piece.length)],
                          sampleRate: sampleRate, originalCount: piece.length)
    }
}
