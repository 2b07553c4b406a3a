module spark-platform/images/connect-tls

go 1.22
