"""Pieces of dev3.jsonl (make_dev3.py), written before the model trained on
spent-test-v2.jsonl, apart from every other pieces file and in words and shapes of their
own. Once the test split; now a dev split, never trained on.

Per category and language: `neg` (a problem or complaint: the customer's stance is
negative, with or without an emotion word), `neu` (an inquiry or a request, some naming a
problem word without reporting a problem), `pos` (something went well). Pieces are
separated by `|`.
"""


def split(text):
    return [p.strip() for p in text.split("|") if p.strip()]


ZH = {
    "repayment": dict(
        neg=split("我开了到期自动扣款，结果没扣，现在倒成了我逾期|上个月多还了两千块，这个月账单上根本没体现|还款日赶上周末，你们不顺延，直接算我晚还|房贷利率都下调了，我的月供一分没少|用支付宝还的款三天了还显示未还|停息挂账申请了两次都没下文|怎么又说我没还"),
        neu=split("这个月工资晚发，最少还多少才不算逾期|车贷想先提前还一部分，要提前几天预约|还款账户能改成我的工资卡吗|这期账单出来没有，要还多少|还款日是几号来着"),
        pos=split("延期还款那件事批下来了，总算松了口气|提前还了一部分本金，月供少了一大截，挺满意")),
    "fees_interest": dict(
        neg=split("这张卡我一次都没刷过，年费照扣不误|账单里冒出来一笔九十九的安全保障费，我压根没办过这个|业务员推分期时只说每期费率零点几，自己一算年化快百分之十八|取了五百块现金，手续费加利息扣了快四十|晚还一天就罚这么多，合理吗|怎么又扣钱了"),
        neu=split("金卡年费是多少，刷几次能免|分期提前结清的话，剩下的手续费还收不收|账单上的利息是按天算的吗|在国外刷卡有没有额外的费用"),
        pos=split("多收的那笔手续费已经退回卡里了，处理得挺利索")),
    "collection_conduct": dict(
        neg=split("催款的打电话到我们公司前台，全办公室都知道了|我才晚了两天，就有人打电话说要起诉我|催收的人骂我还捎带骂我家里人，这样合法吗|晚上十点多还在打电话催，孩子都被吵醒了|短信里说要上门走访，这不是吓唬人吗"),
        neu=split("我想跟你们谈分几期还清，能不能先别打催款电话了|给我打电话催款的这个号码是不是你们银行的|逾期以后是你们自己催还是交给第三方公司"),
        pos=split("负责我这笔的催收专员挺讲道理，帮我定了个还得起的计划")),
    "credit_report": dict(
        neg=split("去别家贷款被拒了，说我征信上有逾期，可我每一期都是按时还的|那张卡我早就注销了，征信上还挂着没结清|我没申请过你们的贷款，报告上却有你们的查询记录|异议材料交上去两个月了，记录还是没改"),
        neu=split("我打算买房，想先确认一下你们那边报上去的信用记录没问题|上个月刚还清，征信多久能显示结清|征信上的记录有错的话，找谁去改，要带什么"),
        pos=split("征信上那条错的记录改过来了，房贷也批下来了")),
    "refund_cancellation": dict(
        neg=split("退订短信我都回了，套餐费还是照扣|商家都同意退了，你们这边一直卡着不给退|注销信用卡非要我先交一年年费，哪有这种道理|退保只拿回来六成，当初可没人说会扣这么多|机票退了快二十天，钱还没见着"),
        neu=split("那个账户安全险我不想要了，怎么退订|退款退回信用卡，会冲抵这期账单吗|保单刚签了五天，现在不要了钱能一分不少拿回来吗|自动续费在哪里关"),
        pos=split("退款今天上午就到了，比说的还快")),
    "account_access": dict(
        neg=split("手机换了个新的，一登录就提示设备不安全|刷脸认证怎么弄都过不去，卡在最后一步|密码没输错几次账户就被锁了，也没人通知我|验证码短信半小时才来，早就过期了|更新完app一打开就白屏|又登不上了"),
        neu=split("网银的登录密码和支付密码是同一个吗|人在国外收不到短信，怎么登录手机银行|账户被锁了，去柜台要带什么证件|指纹登录在哪里打开"),
        pos=split("账户解锁了，现在能正常登录，谢谢帮忙")),
    "product_inquiry": dict(
        neg=split("你们推荐的那只基金一年跌了两成，当初可不是这么说的|宣传页上写年化四点五，实际到手连三都不到|产品说明书全是术语，普通人谁看得懂"),
        neu=split("我有二十万闲钱，放三个月左右，买什么合适|这款理财中途能不能取出来|养老储蓄和定期存款有什么区别|想给孩子存一笔教育金，你们有哪几款|三年的大额存单还有额度吗，给多少利息"),
        pos=split("去年经理帮我配的那几只产品收益挺稳，我很满意")),
    "redemption_withdrawal": dict(
        neg=split("上礼拜一下的卖出单，过了一个周末钱还在路上|理财到期了，钱没有自动转回活期|提现显示成功，银行卡里根本没钱|想卖出才提示在封闭期，买的时候没人提过"),
        neu=split("货币基金取出来是实时到账吗|理财没到期想提前取出来，要扣手续费吗|卖出的钱会回到哪张卡上"),
        pos=split("卖掉的基金第二天一早钱就到了，比我想的快")),
    "fraud_security": dict(
        neg=split("卡一直在我身上，半夜收到短信说在外地刷了三千多|一个自称是你们工作人员的拉我进群，让我转了两万块保证金|账户里的钱莫名其妙被转走了，我一点都不知情|我根本没开小额免密，怎么被扣了那么多笔"),
        neu=split("来了个电话说我额度要下调，让我报卡号核实，这正常吗|万一卡被盗刷了，怎么申请赔付|手机丢了，先帮我把手机银行停掉"),
        pos=split("幸亏你们及时拦下了那笔可疑交易，钱保住了")),
    "service_quality": dict(
        neg=split("打了四次热线，每次都要从头说一遍|周六去网点，前面就十几个人，等到中午都没叫到我|上周答应第二天给我回复，到现在电话都没响过|问什么都说不清楚，就会一句帮您反馈|机器人客服转来转去，就是转不到人工|效率也太低了吧"),
        neu=split("周末网点开门吗|能不能安排一个会说粤语的客服|我之前的投诉处理到哪一步了，在哪里查")),
    "privacy_data": dict(
        neg=split("刚在你们这办完卡，第二天就接到好几个推销保险的电话|你们的app非要读我的通讯录，不给就不让用|陌生人能报出我的名字和卡号后四位，信息是从哪漏出去的|营销短信明明关了，还是天天收到"),
        neu=split("你们手上到底有我多少资料，能给我列一份吗|个性化推荐怎么关掉|销户以后我的资料会删掉吗")),
    "praise": dict(
        pos=split("今天的大堂经理特别耐心，教我用手机银行教了半个小时|客服小周一次就把问题处理到位了，点赞|新版app比以前好用太多了|网点那位阿姨服务很周到，还给我倒了杯水|给你们的服务打满分")),
}

EN = {
    "repayment": dict(
        neg=split("Autopay was switched on and nothing went out, so now my account shows a late payment|I paid extra last month and this statement acts like I never did|The due date fell on a public holiday and you charged me for paying the next day"),
        neu=split("If I only pay the minimum this month, what happens to the rest|Can I move my payment date to after payday"),
        pos=split("The payment holiday went through, that takes a load off my mind")),
    "fees_interest": dict(
        neg=split("There is an annual fee on a card I was told was free for life|Fifteen dollars for a paper statement, seriously?|My rate went up and not one letter about it"),
        neu=split("What do you charge when I use the card abroad|Is there a cost to closing an installment plan early"),
        pos=split("Thanks for taking the late charge off, that was decent of you")),
    "collection_conduct": dict(
        neg=split("Someone from collections keeps calling me at work after I asked them to stop|I got a letter threatening to take my car over one missed payment|Your agent was rude to my elderly mother on the phone"),
        neu=split("Who do I talk to about a payment plan instead of the collections people|Is this collections number genuine or a scam"),
        pos=split("The collections agent was understanding and gave me a bit more time")),
    "credit_report": dict(
        neg=split("A late payment I never made is sitting on my credit file|I closed that account years ago and my report still shows it open|Your bank ran a credit check on me that I never agreed to"),
        neu=split("How long before a paid-off balance shows on my credit report|How do I dispute an entry on my credit history"),
        pos=split("That mistake on my credit history has been corrected, thank you for chasing it")),
    "refund_cancellation": dict(
        neg=split("I cancelled inside the cooling-off period and you kept the premium|The shop says they processed my refund on the 3rd, it's now the 20th and nothing|I asked to close the card and you billed me for another year anyway"),
        neu=split("How do I cancel the card protection add-on|Does a refund to my card lower this month's statement"),
        pos=split("Refund landed this morning, quicker than you said")),
    "account_access": dict(
        neg=split("I'm locked out after one wrong password and the reset link is dead|The app keeps asking for a code that never arrives|Face ID login broke after the update and there is no way around it"),
        neu=split("How do I sign in from abroad when I can't get texts|Can I use the same login for my business account"),
        pos=split("I'm back into my account, thanks for unlocking it so fast")),
    "product_inquiry": dict(
        neg=split("The bond fund you sold me as low risk is down twelve percent|The rate in the brochure is not what I'm getting"),
        neu=split("I have about fifty thousand to park for a year, what would you suggest|Is the three-year deposit rate fixed or variable|What's the difference between your two savings accounts"),
        pos=split("The mix of funds my adviser picked has done nicely, I'm pleased")),
    "redemption_withdrawal": dict(
        neg=split("Fund sale went through Monday, still no cash in my account on Thursday|The withdrawal says completed but my bank balance hasn't moved|Nobody mentioned a lock-in period until I tried to cash out"),
        neu=split("How many days does selling fund units take to settle|What do I lose if I break my term deposit before it matures"),
        pos=split("The withdrawal came through the same day, very smooth")),
    "fraud_security": dict(
        neg=split("Three purchases came through from a city I've never been to, and the card is right here in my hand|A caller claiming to be from your bank talked me into moving my savings|Money left my account overnight and I approved nothing"),
        neu=split("I got a text saying my card is suspended, is that really from you|What should I do if I think my card details were copied"),
        pos=split("Your fraud team stopped a dodgy payment before it went out, thank you")),
    "service_quality": dict(
        neg=split("Forty minutes on hold and then the line dropped|Every time I call I get a different answer|I was promised a callback on Friday and nobody rang|The chatbot just goes round in circles and I can't reach a human"),
        neu=split("What hours is the phone line open on Sundays|Is there someone who can help me in Cantonese")),
    "privacy_data": dict(
        neg=split("Since I opened an account with you I get loan spam every day, who did you give my number to|A stranger on the phone knew my balance, how|The app wants my contacts and location just to show my balance"),
        neu=split("Please take me off your promotional texts, how do I do that|Can I get a copy of the personal data you hold about me")),
    "praise": dict(
        pos=split("Shout out to Priya at the branch, she sorted everything in ten minutes|Whoever redesigned the app, nice work, it's so much clearer|Really appreciate how patient your staff were with me today|Best customer service I've had from any bank")),
}

# Chinese with English words, written that way (language zh).
MIX = {
    "fraud_security": dict(neg=split("我的credit card被盗刷了，有两笔我完全没印象")),
    "account_access": dict(neg=split("app一直crash，login不上去")),
    "refund_cancellation": dict(neg=split("refund到现在还没到，都快两周了")),
    "redemption_withdrawal": dict(neu=split("想问下这个fund的redemption要几天")),
    "fees_interest": dict(neu=split("statement上那笔service fee是什么费用")),
    "praise": dict(pos=split("你们的customer service真的很nice，一下就解决了")),
    "collection_conduct": dict(neg=split("催收的call一天打好几个，我明明跟他们约好了月底还")),
    "credit_report": dict(neu=split("我的credit report上那条记录能不能帮我check一下")),
}

# English words a typist drops into Chinese text.
ZH_ENGLISH = [("手机银行", "App"), ("验证码", "OTP"), ("账单", "bill"), ("客服", "CS"), ("额度", "limit"), ("退款", "refund")]

# A word of another category said in passing: not a second category.
ZH_ASIDE = {"fees_interest": "跟年费没关系，", "refund_cancellation": "不是要退款，", "fraud_security": "不是被盗刷啊，",
            "credit_report": "征信我查过没问题，", "service_quality": "刚才排队倒是挺快，"}
EN_ASIDE = {"fees_interest": "Not about fees this time, ", "refund_cancellation": "I'm not after a refund, ",
            "fraud_security": "Nothing's been stolen, ", "account_access": "The login side is fine, "}

ZH_OPEN = split("哈喽|打扰一下|我想反映个事|客服你好|")
ZH_CLOSE = split("谢了|辛苦你们|多谢多谢|")
ZH_CROSS = split("这事必须给我个交代|再这样我就销户了|真是服了你们|")
EN_OPEN = split("Hiya|Morning|Hello, quick one|")
EN_CLOSE = split("Cheers|Thanks for your help|ta|")
EN_CROSS = split("Sort it out.|I'm about done with this bank.|Absolutely shocking.|")

ZH_EMAIL = ("您好：", "\n此致\n陈先生")
EN_EMAIL = ("Dear Sir or Madam,\n", "\nKind regards,\nTom Haines")

ZH_CHAT_AGENT = split("在的，您请说|收到，我看一下|好的，帮您记下了")
EN_CHAT_AGENT = split("Hi, I'm here, go ahead|Got it, checking now|Okay, I've noted that")
ZH_CALL_AGENT = split("喂您好 热线这边 请问您贵姓|嗯嗯您慢慢说|这个我给您升级处理|稍后会有同事回电给您")
EN_CALL_AGENT = split("Thank you for calling, who am I speaking with|Right, go on|I'll escalate that for you|Someone will ring you back")
ZH_VIDEO_AGENT = split("视频已经接通了您能听到吗|好的我这边看到了|我帮您提交一下")
EN_VIDEO_AGENT = split("Hi, the video is connected, can you hear me|Okay, I can see that|I'll put that through for you")
ZH_FILLER = split("呃|那个啥|就是说|嗯")

# Recogniser slips of their own (the heard word sounds like the said one).
ZH_SLIPS = [("分期", "分歧"), ("理财", "理才"), ("冻结", "冻洁"), ("客服", "课服"), ("征信", "正信"), ("短信", "短心"),
            ("信用卡", "信用咖"), ("密码", "蜜码"), ("银行", "银航"), ("投诉", "投素")]
EN_SLIPS = [("statement", "state meant"), ("locked", "lock"), ("transfer", "trance fur"), ("fees", "fee's"),
            ("account", "a count"), ("charged", "charge")]
EN_TYPOS = [("received", "recieved"), ("account", "acount"), ("until", "untill"), ("which", "wich"), ("payment", "paymnet"),
            ("password", "pasword"), ("definitely", "definately"), ("still", "stil"), ("money", "mony")]

# Profile facts the customer says of themselves, and family members' facts that are not theirs.
FACTS_ZH = [("我是糖尿病人，", "health.diabetes"), ("我每天要打胰岛素，", "health.diabetes"), ("我牙口不好，", "health.dental"),
            ("医生不让我碰酒，", "health.alcohol_avoid"), ("我坐不了飞机，一上去就心慌，", "travel.fear_of_flying"),
            ("我平时就爱看电影，", "interest.film"), ("我每年都要出去旅游几趟，", "interest.travel"),
            ("周末我一般去打高尔夫，", "interest.golf"), ("我平常爱喝点茶，", "interest.tea"),
            ("我女儿今年刚上初中，", "family.child_student"), ("我去年刚退休，", "life.retired"),
            ("我都七十多岁了，", "life.elderly"), ("我血压一直偏高，在吃药，", "health.hypertension")]
FACTS_EN = [("I'm diabetic, ", "health.diabetes"), ("I've just retired, ", "life.retired"), ("I'm 72 and not great with apps, ", "life.elderly"),
            ("My son is at university, ", "family.child_student"), ("I love going to the cinema, ", "interest.film"),
            ("I'm on blood pressure tablets, ", "health.hypertension"), ("I get terrified on planes, ", "travel.fear_of_flying"),
            ("I don't touch alcohol, ", "health.alcohol_avoid")]
NOT_FACTS_ZH = split("我妈有高血压，|我老公刚退休，|我朋友喜欢打高尔夫，")
NOT_FACTS_EN = split("My dad is retired, |My wife is diabetic, ")

# Advisor sales calls: agent and customer turns (language, zh turns written as said or as heard).
ADVISOR_ZH = dict(
    identity=split("张姐您好，我是滨江支行的理财顾问孙浩，从业编号J20231187|喂您好，这边是恒信证券财富部，我姓钱，资格证号S1180620|您好您好 我是咱们行贵宾室的小林 负责您这边的理财"),
    greeting=split("张姐下午好，最近有款新产品挺适合您，跟您说说|喂您好，现在方便说两句吗，有个好消息告诉您|李先生您好，上次您问的那款额度又放出来了"),
    late_identity=split("哦对了忘了说，我是理财中心的周经理，编号在我们官网能查到"),
    ask=split("我手上有笔钱下个月到期，想换个地方放|收益能比定期高多少|我不想折腾，稳一点的有吗"),
    ask_fact=[("我都七十多岁了，不想折腾，稳一点的有吗", "life.elderly"), ("我刚退休，手里这点养老钱想找个地方放", "life.retired")],
    disclose=split("有一点得跟您讲清楚，它的价格每天在变，行情差的时候拿回来的可能比投进去的少|按我们的评级它属于中等波动那一档，收益会跟着市场上下走|丑话说在前头，它不承诺保本，以前的收益只能做个参考|这个不是存款 本金有亏的可能 您得想清楚|收益这块我不能给您打包票，市场说了算"),
    promise=split("您就放一百个心，到期本息一分不会少|我们行卖的东西哪有亏的，年化五个点稳稳到手|跟存款一样安全，收益还高一倍|这个我给您打包票 肯定赚"),
    pitch=split("这款起购五万，期限一年，每季度分一次红|现在买还送一个月的加息券"),
    confirm=split("嗯 涨跌我有心理准备 真亏了我也认|你说的我都听清楚了，可能亏本金我知道|行，不保本我明白，那就先买五万"),
    other=split("那我回去跟我儿子商量商量|收益什么时候发|起购是多少钱|我再想想吧"),
    early_ok=split("好的好的你说"),
)
ADVISOR_EN = dict(
    identity=split("Hi Mr Grant, it's Laura Chen, wealth adviser at Northgate Bank, my licence number is 40-2277|Good afternoon, this is Sam Patel from Harbour Securities, I'm a registered investment adviser"),
    greeting=split("Hi there, got a minute? I've got something that'll interest you|Hello Mr Grant, calling about that savings product you asked about"),
    late_identity=split("Sorry, I should have said, I'm Laura from the wealth team at Northgate"),
    ask=split("I've got some savings sitting idle and want a better return|What kind of return are we talking about"),
    ask_fact=[("I've just retired and want somewhere for my pension lump sum", "life.retired")],
    disclose=split("I have to be upfront, this fund can fall in value and you could get back less than you put in|Returns aren't fixed, and last year's numbers don't tell you what next year brings"),
    promise=split("Honestly you can't lose on this one, your capital is fully protected|It's basically a sure thing, eight percent a year guaranteed"),
    pitch=split("Minimum is ten thousand and you can top up any time"),
    confirm=split("Okay, I understand I could lose some of it, I'm comfortable with that|Right, so it can go down, that's fine by me, let's go ahead"),
    other=split("Let me think it over and call you back|What's the minimum I'd need to put in"),
    early_ok=split("Sure, go on"),
)
