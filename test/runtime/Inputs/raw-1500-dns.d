(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 12
(003) ldb      [9]
(004) jeq      #0x11            jt 5	jf 22
(005) ldh      [6]
(006) jset     #0x1fff          jt 22	jf 7
(007) ldxb     4*([0]&0xf)
(008) ldh      [x + 0]
(009) jeq      #0x35            jt 21	jf 10
(010) ldh      [x + 2]
(011) jeq      #0x35            jt 21	jf 22
(012) ldb      [0]
(013) and      #0xf0
(014) jeq      #0x60            jt 15	jf 22
(015) ldb      [6]
(016) jeq      #0x11            jt 17	jf 22
(017) ldh      [40]
(018) jeq      #0x35            jt 21	jf 19
(019) ldh      [42]
(020) jeq      #0x35            jt 21	jf 22
(021) ret      #1500
(022) ret      #0
