"""Mid-year monitoring (绩效运行监控): rounds opened by the finance bureau or a department, and the monitoring form."""
