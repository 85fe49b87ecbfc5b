/// The words sentiment knows: polarity (-1...1), negators and intensifiers, Chinese
/// and English. English entries are stored as Porter stems.
public struct SentimentLexicon: Sendable {
    public var polarity: [String: Double]
    public var negators: Set<String>
    public var intensifiers: [String: Double]

    /// What a word does, found with one lookup.
    enum Entry {
        case polarity(Double)
        case negator
        case intensifier(Double)
    }

    let entries: [String: Entry]

    /// Index form of a word: Porter stem for Latin words, Chinese as written.
    func key(_ word: String) -> String { EnglishStemmer.stem(word) }

    /// What `word` does, if anything.
    func entry(_ word: String) -> Entry? { entries[key(word)] }

    public init(positive: [String], negative: [String], strongNegative: [String], negators: [String],
                intensifiers: [String: Double]) {
        var polarity: [String: Double] = [:]
        for word in positive { polarity[EnglishStemmer.stem(word)] = 1 }
        for word in negative { polarity[EnglishStemmer.stem(word)] = -1 }
        for word in strongNegative { polarity[EnglishStemmer.stem(word)] = -1.6 }
        self.polarity = polarity
        self.negators = Set(negators.map(EnglishStemmer.stem))
        self.intensifiers = Dictionary(intensifiers.map { (EnglishStemmer.stem($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        var entries: [String: Entry] = [:]
        for (word, value) in polarity { entries[word] = .polarity(value) }
        for (word, factor) in self.intensifiers { entries[word] = .intensifier(factor) }
        for word in self.negators { entries[word] = .negator }
        self.entries = entries
    }

    public static let standard = SentimentLexicon(
        positive: [
            "满意", "好", "很好", "不错", "谢谢", "感谢", "多谢", "专业", "耐心", "及时", "快", "方便", "赞", "棒", "高效", "周到",
            "热情", "清楚", "解决", "帮忙", "优秀", "靠谱", "舒服", "喜欢", "开心", "高兴", "顺利", "感激", "给力", "贴心", "细致",
            "点赞", "表扬", "好评", "没问题", "负责", "认真", "放心", "满分", "利索", "温柔", "礼貌", "到位", "省心",
            "good", "great", "excellent", "thank", "thanks", "helpful", "quick", "fast", "easy", "satisfied", "happy", "love",
            "appreciate", "resolved", "professional", "patient", "friendly", "kind", "wonderful", "smooth", "clear", "perfect",
            "awesome", "nice", "pleased", "polite", "efficient", "amazing", "fantastic", "grateful", "recommend",
        ],
        negative: [
            "不满", "不满意", "不行", "不靠谱", "差", "慢", "糟糕", "生气", "失望", "烦", "麻烦", "无语", "过分", "推诿", "敷衍", "担心", "焦虑", "着急",
            "错误", "问题", "故障", "失败", "损失", "亏", "亏损", "不合理", "没人", "太久", "拖", "拖延", "卡", "闪退", "崩溃",
            "难", "困难", "投诉", "举报", "乱", "扣", "重复", "冤枉", "委屈", "不公平", "吓", "害怕", "骚扰", "催", "等",
            "bad", "slow", "upset", "frustrated", "frustrating", "disappointed", "disappointing", "problem", "issue", "complaint",
            "complain", "wrong", "error", "fail", "failed", "broken", "annoying", "annoyed", "poor", "unfair", "confusing",
            "confused", "delay", "delayed", "stuck", "crash", "lost", "worried", "hassle", "waiting", "wait", "harass",
            "difficult", "useless", "mess",
        ],
        strongNegative: [
            "愤怒", "垃圾", "骗", "骗子", "欺骗", "坑", "乱扣", "乱收费", "恶心", "气愤", "离谱", "恐吓", "威胁", "恶劣", "态度差",
            "气死", "忍无可忍", "太差", "黑心", "流氓", "霸王条款", "诈骗", "盗刷", "冒充", "暴力",
            "terrible", "awful", "angry", "unacceptable", "ridiculous", "worst", "horrible", "rude", "scam", "fraud",
            "furious", "hate", "threaten", "threatening", "harassment", "disgusting", "outrageous", "incompetent",
        ],
        negators: [
            "不", "没", "没有", "别", "未", "无", "非", "不是", "并不", "从来不", "从没", "毫无", "不太", "不够", "不怎么", "没能",
            "not", "no", "never", "n't", "don't", "didn't", "doesn't", "isn't", "wasn't", "aren't", "can't", "cannot",
            "won't", "nothing", "hardly", "without", "neither", "nor",
        ],
        intensifiers: [
            "很": 1.5, "非常": 1.8, "太": 1.8, "特别": 1.7, "极其": 2, "十分": 1.7, "超级": 1.8, "真": 1.4, "真的": 1.4,
            "最": 1.8, "实在": 1.5, "相当": 1.5, "极": 2, "越来越": 1.4, "完全": 1.6, "严重": 1.7, "好几次": 1.3,
            "有点": 0.5, "稍微": 0.5, "略": 0.5, "比较": 0.7, "一点": 0.6, "有些": 0.6,
            "very": 1.5, "really": 1.5, "extremely": 2, "so": 1.5, "too": 1.5, "absolutely": 1.8, "totally": 1.6,
            "incredibly": 1.8, "super": 1.6, "highly": 1.5, "completely": 1.6,
            "slightly": 0.5, "somewhat": 0.6, "bit": 0.6, "little": 0.6, "kinda": 0.6,
        ])
}
