// The chart types the campaign screens need beyond the shared EChart's bar and pie: lines
// (queues over time) and mark lines (the queue limit). Registered once, on import.
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { MarkLineComponent } from 'echarts/components';
import { dayjs, TIME_ZONE } from '../../../utils/time';

echarts.use([LineChart, MarkLineComponent]);

/** An axis label in Shanghai time. */
export const shanghaiHm = (ms: number) => dayjs(ms).tz(TIME_ZONE).format('HH:mm');

/** A palette that stays readable for ten series. */
export const PALETTE = ['#1456b8', '#13a8a8', '#fa8c16', '#722ed1', '#52c41a', '#eb2f96', '#2f54eb', '#a0d911', '#faad14', '#597ef7', '#bfbfbf'];
