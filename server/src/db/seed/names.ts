// Common Chinese surnames (roughly by frequency) and given-name characters, for synthetic people.
export const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
export const GIVEN_MALE = '伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳峰建国志文博亮成晨毅'.split('');
export const GIVEN_FEMALE = '芳娜敏静丽艳娟霞秀英慧莉燕玲婷雪琳晶颖洁倩梅琴云兰红萍蕾欣悦怡佳雨丹璐瑶'.split('');
export const KOREAN_SURNAMES = ['KIM', 'LEE', 'PARK', 'CHOI', 'JUNG', 'KANG', 'CHO', 'YOON'];
export const KOREAN_GIVEN = ['MINJUN', 'SEOYEON', 'JIHO', 'HAEUN', 'DOYUN', 'JIWOO', 'SUBIN', 'YEJUN', 'HAYOON', 'JUWON'];
/** Region codes (GB/T 2260) where the district's residents were born: mostly local, some from elsewhere. */
export const HOME_REGIONS = ['120103', '120103', '120103', '120103', '120103', '120101', '120102', '120104', '120105', '120111', '130102', '130203', '370102', '410102', '610402', '140105', '230102', '320102'];
