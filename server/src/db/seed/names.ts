// Name and region tables for synthetic people. Weights are approximate shares from published
// surname rankings; given names change with the decade of birth, as they do in real ledgers.

/** Common surnames (姓) with their rough share of the population in percent. */
export const SURNAMES: [string, number][] = [
  ['王', 7.1], ['李', 7.0], ['张', 6.7], ['刘', 5.4], ['陈', 4.6], ['杨', 3.2], ['赵', 2.3], ['黄', 2.0], ['周', 1.9],
  ['吴', 1.8], ['徐', 1.6], ['孙', 1.5], ['马', 1.5], ['胡', 1.3], ['朱', 1.3], ['郭', 1.2], ['何', 1.1], ['罗', 1.0],
  ['高', 1.1], ['林', 0.9], ['郑', 0.9], ['梁', 0.8], ['谢', 0.8], ['宋', 0.8], ['唐', 0.7], ['许', 0.7], ['韩', 0.7],
  ['邓', 0.6], ['冯', 0.7], ['曹', 0.6], ['彭', 0.6], ['曾', 0.5], ['肖', 0.6], ['田', 0.6], ['董', 0.6], ['潘', 0.5],
  ['袁', 0.5], ['蔡', 0.4], ['蒋', 0.5], ['余', 0.4], ['于', 0.6], ['杜', 0.5], ['叶', 0.4], ['程', 0.5], ['魏', 0.5],
  ['苏', 0.4], ['吕', 0.4], ['丁', 0.4], ['任', 0.4], ['卢', 0.4], ['姚', 0.4], ['沈', 0.4], ['钟', 0.3], ['姜', 0.4],
  ['崔', 0.4], ['谭', 0.3], ['陆', 0.3], ['范', 0.3], ['汪', 0.3], ['廖', 0.3], ['石', 0.3], ['金', 0.3], ['韦', 0.2],
  ['贾', 0.3], ['夏', 0.3], ['付', 0.3], ['方', 0.2], ['邹', 0.2], ['熊', 0.2], ['白', 0.3], ['孟', 0.3], ['秦', 0.2],
  ['邱', 0.2], ['侯', 0.2], ['江', 0.2], ['尹', 0.2], ['薛', 0.2], ['闫', 0.2], ['段', 0.2], ['雷', 0.2], ['龙', 0.1],
  ['黎', 0.1], ['史', 0.2], ['陶', 0.1], ['贺', 0.1], ['毛', 0.1], ['郝', 0.2], ['顾', 0.1], ['龚', 0.1], ['邵', 0.1],
  ['万', 0.1], ['覃', 0.1], ['武', 0.2], ['钱', 0.1], ['戴', 0.1], ['严', 0.1], ['莫', 0.1], ['孔', 0.1], ['向', 0.1],
  ['常', 0.1], ['汤', 0.1], ['康', 0.1], ['易', 0.1], ['乔', 0.1], ['赖', 0.1], ['文', 0.1], ['欧阳', 0.03], ['司马', 0.01],
];

/** Given names (名) by sex and the era of birth. */
export const GIVEN: Record<'male' | 'female', [maxBirthYear: number, names: string][]> = {
  male: [
    [1959, '建国 国强 国华 振华 德明 志刚 福生 永清 树林 宝山 长顺 德胜 玉林 文华 有才 桂林 金生 保国 洪涛 广田 凤山 连生 宝成 树森 文彬'],
    [1979, '伟 勇 军 强 斌 建军 建华 卫东 红军 志强 海涛 立新 永刚 国庆 宏伟 学军 晓东 春生 文军 明 卫国 建平 志勇 利民 东升'],
    [1999, '伟 磊 涛 鹏 超 浩 杰 帅 鑫 亮 宇 晨 博 强 旭 海洋 俊杰 志鹏 晓峰 明辉 浩然 文博 子健 天宇 嘉伟'],
    [2009, '浩然 宇航 子豪 俊杰 浩宇 博文 天宇 家豪 子轩 宇轩 一鸣 志远 明轩 嘉豪 子健 晨阳 泽宇 思源 昊天 雨泽'],
    [9999, '梓轩 子墨 浩宇 宇泽 沐宸 一诺 梓睿 奕辰 皓轩 子睿 俊熙 宇辰 睿泽 思远 锦程 梓豪 承泽 煜城 铭轩 景行'],
  ],
  female: [
    [1959, '秀英 桂英 淑珍 玉兰 桂兰 凤英 玉珍 淑兰 秀兰 桂芝 淑英 玉梅 秀珍 凤兰 素芬 淑华 桂珍 玉英 秀芳 翠兰 淑贞 秀云 桂香 玉华 凤琴'],
    [1979, '丽 红 艳 霞 红梅 丽华 秀梅 海燕 丽君 晓红 春燕 玉红 淑芳 艳萍 丽萍 红霞 凤霞 丽娟 秀华 建英 卫红 小红 晓梅 美玲 雪梅'],
    [1999, '静 敏 婷 娜 丹 璐 倩 颖 晶 雪 莹 丽娜 婷婷 晓燕 佳 琳 文静 思雨 慧 欣 晓丽 佳佳 梦 雅琪 莉'],
    [2009, '欣怡 佳怡 雨欣 梦瑶 思琪 雨涵 佳琪 诗琪 心怡 梓涵 雅琪 欣然 晓彤 可欣 紫怡 雨萱 子涵 佳欣 诗雨 梦琪'],
    [9999, '梓涵 一诺 诗涵 若汐 欣妍 梓萱 语桐 可馨 雨桐 芷若 依诺 思琪 梓晴 安然 沐晨 悦溪 语汐 一涵 雨萌 芊芊'],
  ],
};

/** Foreign residents: romanised as on their passports. */
export const KOREAN = {
  surnames: ['KIM', 'KIM', 'KIM', 'LEE', 'LEE', 'PARK', 'CHOI', 'JUNG', 'KANG', 'CHO', 'YOON', 'JANG', 'LIM', 'HAN', 'OH', 'SEO', 'SHIN', 'KWON'],
  male: ['MINJUN', 'JIHO', 'DOYUN', 'SEOJUN', 'YEJUN', 'JUWON', 'HYUNWOO', 'JUNHO', 'SUNGMIN', 'DONGHYUN', 'JAEHYUN', 'YOUNGSOO'],
  female: ['SEOYEON', 'JIWOO', 'HAEUN', 'SUBIN', 'HAYOON', 'MINJI', 'JIYEON', 'EUNJI', 'SOYEON', 'YUNA', 'HYEJIN', 'SUJIN'],
};
export const JAPANESE = {
  surnames: ['SATO', 'SUZUKI', 'TAKAHASHI', 'TANAKA', 'WATANABE', 'ITO', 'YAMAMOTO', 'NAKAMURA', 'KOBAYASHI', 'KATO'],
  male: ['HARUTO', 'SOTA', 'YUTO', 'HIROSHI', 'TAKESHI', 'KENJI', 'DAIKI', 'RYOTA'],
  female: ['YUI', 'HINA', 'AOI', 'SAKURA', 'YUKO', 'AYAKA', 'MISAKI', 'NAOMI'],
};
export const WESTERN = {
  surnames: ['SMITH', 'JOHNSON', 'BROWN', 'WILLIAMS', 'JONES', 'MILLER', 'DAVIS', 'WILSON', 'TAYLOR', 'CLARK'],
  male: ['JOHN', 'DAVID', 'MICHAEL', 'JAMES', 'ROBERT', 'DANIEL', 'THOMAS', 'PETER'],
  female: ['MARY', 'SARAH', 'EMMA', 'LAURA', 'JENNIFER', 'ANNA', 'KATE', 'LUCY'],
};
export const RUSSIAN = {
  surnames: ['IVANOV', 'SMIRNOV', 'KUZNETSOV', 'POPOV', 'VASILIEV', 'PETROV', 'SOKOLOV', 'VOLKOV'],
  male: ['ALEXANDER', 'DMITRY', 'SERGEY', 'ANDREY', 'MAXIM', 'IVAN'],
  female: ['ANNA', 'ELENA', 'OLGA', 'NATALIA', 'TATIANA', 'MARIA'],
};

/**
 * Region codes (行政区划代码, GB/T 2260) of birthplaces. The district itself is 120103
 * (天津市河西区); owners are mostly registered in Tianjin, floating residents mostly elsewhere.
 */
export const HOME_REGION = '120103';
export const TIANJIN_REGIONS = ['120101', '120102', '120104', '120105', '120106', '120110', '120111', '120112', '120113', '120221', '120223'];
export const OTHER_REGIONS = [
  '130102', '130203', '130602', '131002', '130902', '130302', '370102', '370202', '371402', '371102', '410102', '411302',
  '410302', '140105', '140202', '230102', '220102', '210102', '210202', '340102', '320102', '320582', '150102', '610113',
  '510104', '420102', '110105', '110108', '360102', '430102',
];

/** Street names of 河西区 (13 streets). */
export const STREETS = ['友谊路', '大营门', '下瓦房', '桃园', '挂甲寺', '马场', '越秀路', '天塔', '尖山', '陈塘庄', '柳林', '东海', '梅江'];

export const COMMUNITY_WORDS = [
  '平江里', '金厦里', '宾西', '紫金', '泰山里', '龙都', '新会', '谊景村', '尖山里', '富裕', '环湖', '澳景', '岳阳道',
  '琼州道', '黑牛城', '佟楼', '广东路', '大沽南路', '微山路', '解放南路', '围堤道', '珠江里', '吴家窑', '小海地',
  '双水道', '梅江南', '友谊南路', '复兴', '东江', '永安道', '宁波道', '台儿庄', '洞庭路', '闽侯路', '灰堆', '郁江道',
  '浯水道', '绍兴道', '九连山', '体院北', '枫林路', '南北大街', '芙蓉', '春江', '南昌路', '湘江', '汇丰', '天华里',
  '瑞江', '红霞', '德才里', '东海', '利民道', '陈塘', '新文化', '美域', '大营', '景兴', '琼华', '怡海',
];
export const COMPOUND_WORDS = [
  '幸福', '阳光', '金色', '和平', '春晓', '绿荫', '海棠', '丽苑', '华庭', '景园', '嘉园', '雅居', '鑫苑', '新城',
  '翠竹', '梅林', '桂园', '富力', '万科', '紫云', '碧水', '泰达', '天鹅', '锦江', '星河', '融创', '恒华', '龙湾',
  '银河', '东方', '宜宾', '长城', '宏福', '安居', '康乐', '文化', '育才', '爱民', '光明', '友谊',
];
export const ENTRANCES = ['东门', '南门', '西门', '北门'];

/** 一 … 九十九, for 第三网格. */
export function chineseNumber(n: number): string {
  const d = '零一二三四五六七八九';
  if (n < 10) return d[n];
  if (n < 20) return `十${n % 10 ? d[n % 10] : ''}`;
  if (n < 100) return `${d[Math.floor(n / 10)]}十${n % 10 ? d[n % 10] : ''}`;
  return String(n);
}
