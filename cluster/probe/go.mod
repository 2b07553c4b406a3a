module spark-platform/cluster/probe

go 1.22
