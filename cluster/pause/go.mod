module spark-platform/cluster/pause

go 1.22
