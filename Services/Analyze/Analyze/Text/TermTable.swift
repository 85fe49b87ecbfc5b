/// Every word analyze has met, numbered, with what the analysers ask about it worked
/// out once: its index form (Porter stem, or the word itself), whether it can be a
/// keyword, its entry in the standard sentiment lexicon, and how many analysed
/// interactions held it as a term (its document frequency).
///
/// So each word of an interaction is hashed once; sentiment, keyword counting, TF-IDF and
/// learning then index arrays. Numbers are never reused, so they stay valid for the
/// life of the process (a restored corpus only resets the frequencies).
struct TermTable {
    private var ids: [UTF8Key: Int32] = [:]
    private(set) var strings: [String] = []
    /// The id of each word's index form.
    private(set) var stems: [Int32] = []
    private(set) var isCandidate: [Bool] = []
    private(set) var sentiment: [SentimentLexicon.Entry?] = []
    private(set) var isClauseMark: [Bool] = []
    /// Interactions that held the term (as an index form), for TF-IDF.
    var documentFrequency: [Int] = []

    /// The number of `word`, adding it when new.
    mutating func id(_ word: String) -> Int32 {
        let key = UTF8Key(word)
        if let id = ids[key] { return id }
        let id = Int32(strings.count)
        ids[key] = id
        strings.append(word)
        stems.append(id)
        isCandidate.append(KeywordExtractor.isCandidate(word))
        sentiment.append(SentimentLexicon.standard.entry(word))
        isClauseMark.append(word == "|")
        documentFrequency.append(0)
        let stem = EnglishStemmer.stem(word)
        if stem != word { stems[Int(id)] = self.id(stem) }
        return id
    }

    /// The number of `word` when it has one.
    func existingID(_ word: String) -> Int32? {
        ids[UTF8Key(word)]
    }
}
