var pe,k,ze,Vt,M,je,Qe,Ze,Ee,ae,J,Je,Ne,xe,Ie,Ye,ce={},ue=[],Kt=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i,_e=Array.isArray;function T(e,t){for(var n in t)e[n]=t[n];return e}function Ae(e){e&&e.parentNode&&e.parentNode.removeChild(e)}function zt(e,t,n){var r,a,s,l={};for(s in t)s=="key"?r=t[s]:s=="ref"?a=t[s]:l[s]=t[s];if(arguments.length>2&&(l.children=arguments.length>3?pe.call(arguments,2):n),typeof e=="function"&&e.defaultProps!=null)for(s in e.defaultProps)l[s]===void 0&&(l[s]=e.defaultProps[s]);return ie(e,l,r,a,null)}function ie(e,t,n,r,a){var s={type:e,props:t,key:n,ref:r,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:a??++ze,__i:-1,__u:0};return a==null&&k.vnode!=null&&k.vnode(s),s}function P(e){return e.children}function le(e,t){this.props=e,this.context=t}function F(e,t){if(t==null)return e.__?F(e.__,e.__i+1):null;for(var n;t<e.__k.length;t++)if((n=e.__k[t])!=null&&n.__e!=null)return n.__e;return typeof e.type=="function"?F(e):null}function Qt(e){if(e.__P&&e.__d){var t=e.__v,n=t.__e,r=[],a=[],s=T({},t);s.__v=t.__v+1,k.vnode&&k.vnode(s),$e(e.__P,s,t,e.__n,e.__P.namespaceURI,32&t.__u?[n]:null,r,n??F(t),!!(32&t.__u),a),s.__v=t.__v,s.__.__k[s.__i]=s,ot(r,s,a),t.__e=t.__=null,s.__e!=n&&Xe(s)}}function Xe(e){if((e=e.__)!=null&&e.__c!=null)return e.__e=e.__c.base=null,e.__k.some(function(t){if(t!=null&&t.__e!=null)return e.__e=e.__c.base=t.__e}),Xe(e)}function Le(e){(!e.__d&&(e.__d=!0)&&M.push(e)&&!de.__r++||je!=k.debounceRendering)&&((je=k.debounceRendering)||Qe)(de)}function de(){try{for(var e,t=1;M.length;)M.length>t&&M.sort(Ze),e=M.shift(),t=M.length,Qt(e)}finally{M.length=de.__r=0}}function et(e,t,n,r,a,s,l,u,p,c,_){var f,i,d,m,S,b,y=r&&r.__k||ue,v=t.length;for(p=Zt(n,t,y,p,v),f=0;f<v;f++)(d=n.__k[f])!=null&&(i=d.__i!=-1&&y[d.__i]||ce,d.__i=f,b=$e(e,d,i,a,s,l,u,p,c,_),m=d.__e,d.ref&&i.ref!=d.ref&&(i.ref&&Te(i.ref,null,d),_.push(d.ref,d.__c||m,d)),S==null&&m!=null&&(S=m),4&d.__u?(p=tt(d,p,e),i.__e&&(i.__e=null)):typeof d.type=="function"&&b!==void 0?p=b:m&&(p=m.nextSibling),d.__u&=-7);return n.__e=S,p}function Zt(e,t,n,r,a){var s,l,u,p,c,_=n.length,f=_,i=0;for(e.__k=new Array(a),s=0;s<a;s++)(l=t[s])!=null&&typeof l!="boolean"&&typeof l!="function"?(typeof l=="string"||typeof l=="number"||typeof l=="bigint"||l.constructor==String?l=e.__k[s]=ie(null,l,null,null,null):_e(l)?l=e.__k[s]=ie(P,{children:l},null,null,null):l.constructor===void 0&&l.__b>0?l=e.__k[s]=ie(l.type,l.props,l.key,l.ref?l.ref:null,l.__v):e.__k[s]=l,p=s+i,l.__=e,l.__b=e.__b+1,u=null,(c=l.__i=Jt(l,n,p,f))!=-1&&(f--,(u=n[c])&&(u.__u|=2)),u==null||u.__v==null?(c==-1&&(a>_?i--:a<_&&i++),typeof l.type!="function"&&(l.__u|=4)):c!=p&&(c==p-1?i--:c==p+1?i++:(c>p?i--:i++,l.__u|=4))):e.__k[s]=null;if(f)for(s=0;s<_;s++)(u=n[s])!=null&&(2&u.__u)==0&&(u.__e==r&&(r=F(u)),st(u,u));return r}function tt(e,t,n){var r,a;if(typeof e.type=="function"){for(r=e.__k,a=0;r&&a<r.length;a++)r[a]&&(r[a].__=e,t=tt(r[a],t,n));return t}e.__e!=t&&(t&&e.type&&!t.parentNode&&(t=F(e)),t=n.insertBefore(e.__e,t||null));do t=t&&t.nextSibling;while(t!=null&&t.nodeType==8);return t}function Jt(e,t,n,r){var a,s,l,u=e.key,p=e.type,c=t[n],_=c!=null&&(2&c.__u)==0;if(c===null&&u==null||_&&u==c.key&&p==c.type)return n;if(r>(_?1:0)){for(a=n-1,s=n+1;a>=0||s<t.length;)if((c=t[l=a>=0?a--:s++])!=null&&(2&c.__u)==0&&u==c.key&&p==c.type)return l}return-1}function Ve(e,t,n){t[0]=="-"?e.setProperty(t,n??""):e[t]=n==null?"":typeof n!="number"||Kt.test(t)?n:n+"px"}function se(e,t,n,r,a){var s,l;e:if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof r=="string"&&(e.style.cssText=r=""),r)for(t in r)n&&t in n||Ve(e.style,t,"");if(n)for(t in n)r&&n[t]==r[t]||Ve(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")s=t!=(t=t.replace(Je,"$1")),l=t.toLowerCase(),t=l in e||t=="onFocusOut"||t=="onFocusIn"?l.slice(2):t.slice(2),e.l||(e.l={}),e.l[t+s]=n,n?r?n[J]=r[J]:(n[J]=Ne,e.addEventListener(t,s?Ie:xe,s)):e.removeEventListener(t,s?Ie:xe,s);else{if(a=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{e[t]=n??"";break e}catch{}typeof n=="function"||(n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n))}}function Ke(e){return function(t){if(this.l){var n=this.l[t.type+e];if(t[ae]==null)t[ae]=Ne++;else if(t[ae]<n[J])return;return n(k.event?k.event(t):t)}}}function $e(e,t,n,r,a,s,l,u,p,c){var _,f,i,d,m,S,b,y,v,x,h,E,A,oe,re,Pe,$=t.type;if(t.constructor!==void 0)return null;128&n.__u&&(p=!!(32&n.__u),s=[u=t.__e=n.__e]),(_=k.__b)&&_(t);e:if(typeof $=="function"){f=l.length;try{if(v=t.props,x=$.prototype&&$.prototype.render,h=(_=$.contextType)&&r[_.__c],E=_?h?h.props.value:_.__:r,n.__c?y=(i=t.__c=n.__c).__=i.__E:(x?t.__c=i=new $(v,E):(t.__c=i=new le(v,E),i.constructor=$,i.render=Xt),h&&h.sub(i),i.state||(i.state={}),i.__n=r,d=i.__d=!0,i.__h=[],i._sb=[]),x&&i.__s==null&&(i.__s=i.state),x&&$.getDerivedStateFromProps!=null&&(i.__s==i.state&&(i.__s=T({},i.__s)),T(i.__s,$.getDerivedStateFromProps(v,i.__s))),m=i.props,S=i.state,i.__v=t,d)x&&$.getDerivedStateFromProps==null&&i.componentWillMount!=null&&i.componentWillMount(),x&&i.componentDidMount!=null&&i.__h.push(i.componentDidMount);else{if(x&&$.getDerivedStateFromProps==null&&v!==m&&i.componentWillReceiveProps!=null&&i.componentWillReceiveProps(v,E),t.__v==n.__v||!i.__e&&i.shouldComponentUpdate!=null&&i.shouldComponentUpdate(v,i.__s,E)===!1){t.__v!=n.__v&&(i.props=v,i.state=i.__s,i.__d=!1),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(j){j&&(j.__=t)}),ue.push.apply(i.__h,i._sb),i._sb=[],i.__h.length&&l.push(i),u=F(n);break e}i.componentWillUpdate!=null&&i.componentWillUpdate(v,i.__s,E),x&&i.componentDidUpdate!=null&&i.__h.push(function(){i.componentDidUpdate(m,S,b)})}if(i.context=E,i.props=v,i.__P=e,i.__e=!1,A=k.__r,oe=0,x)i.state=i.__s,i.__d=!1,A&&A(t),_=i.render(i.props,i.state,i.context),ue.push.apply(i.__h,i._sb),i._sb=[];else do i.__d=!1,A&&A(t),_=i.render(i.props,i.state,i.context),i.state=i.__s;while(i.__d&&++oe<25);i.state=i.__s,i.getChildContext!=null&&(r=T(T({},r),i.getChildContext())),x&&!d&&i.getSnapshotBeforeUpdate!=null&&(b=i.getSnapshotBeforeUpdate(m,S)),re=_!=null&&_.type===P&&_.key==null?rt(_.props.children):_,u=et(e,_e(re)?re:[re],t,n,r,a,s,l,u,p,c),i.base=t.__e,t.__u&=-161,i.__h.length&&l.push(i),y&&(i.__E=i.__=null)}catch(j){if(l.length=f,t.__v=null,p||s!=null){if(j.then){for(t.__u|=p?160:128;u&&u.nodeType==8&&u.nextSibling;)u=u.nextSibling;s!=null&&(s[s.indexOf(u)]=null),t.__e=u}else if(s!=null)for(Pe=s.length;Pe--;)Ae(s[Pe])}else t.__e=n.__e;t.__k==null&&(t.__k=n.__k||[]),j.then||nt(t),k.__e(j,t,n)}}else s==null&&t.__v==n.__v?(t.__k=n.__k,t.__e=n.__e):u=t.__e=Yt(n.__e,t,n,r,a,s,l,p,c);return(_=k.diffed)&&_(t),128&t.__u?void 0:u}function nt(e){e&&(e.__c&&(e.__c.__e=!0),e.__k&&e.__k.some(nt))}function ot(e,t,n){for(var r=0;r<n.length;r++)Te(n[r],n[++r],n[++r]);k.__c&&k.__c(t,e),e.some(function(a){try{e=a.__h,a.__h=[],e.some(function(s){s.call(a)})}catch(s){k.__e(s,a.__v)}})}function rt(e){return typeof e!="object"||e==null||e.__b>0?e:_e(e)?e.map(rt):e.constructor!==void 0?null:T({},e)}function Yt(e,t,n,r,a,s,l,u,p){var c,_,f,i,d,m,S,b=n.props||ce,y=t.props,v=t.type;if(v=="svg"?a="http://www.w3.org/2000/svg":v=="math"?a="http://www.w3.org/1998/Math/MathML":a||(a="http://www.w3.org/1999/xhtml"),s!=null){for(c=0;c<s.length;c++)if((d=s[c])&&"setAttribute"in d==!!v&&(v?d.localName==v:d.nodeType==3)){e=d,s[c]=null;break}}if(e==null){if(v==null)return document.createTextNode(y);e=document.createElementNS(a,v,y.is&&y),u&&(k.__m&&k.__m(t,s),u=!1),s=null}if(v==null)b===y||u&&e.data==y||(e.data=y);else{if(s=v=="textarea"&&y.defaultValue!=null?null:s&&pe.call(e.childNodes),!u&&s!=null)for(b={},c=0;c<e.attributes.length;c++)b[(d=e.attributes[c]).name]=d.value;for(c in b)d=b[c],c=="dangerouslySetInnerHTML"?f=d:c=="children"||c in y||c=="value"&&"defaultValue"in y||c=="checked"&&"defaultChecked"in y||se(e,c,null,d,a);for(c in y)d=y[c],c=="children"?i=d:c=="dangerouslySetInnerHTML"?_=d:c=="value"?m=d:c=="checked"?S=d:u&&typeof d!="function"||b[c]===d||se(e,c,d,b[c],a);if(_)u||f&&(_.__html==f.__html||_.__html==e.innerHTML)||(e.innerHTML=_.__html),t.__k=[];else if(f&&(e.innerHTML=""),et(t.type=="template"?e.content:e,_e(i)?i:[i],t,n,r,v=="foreignObject"?"http://www.w3.org/1999/xhtml":a,s,l,s?s[0]:n.__k&&F(n,0),u,p),s!=null)for(c=s.length;c--;)Ae(s[c]);u&&v!="textarea"||(c="value",v=="progress"&&m==null?e.removeAttribute("value"):m!=null&&(m!==e[c]||v=="progress"&&!m||v=="option"&&m!=b[c])&&se(e,c,m,b[c],a),c="checked",S!=null&&S!=e[c]&&se(e,c,S,b[c],a))}return e}function Te(e,t,n){try{if(typeof e=="function"){var r=typeof e.__u=="function";r&&e.__u(),r&&t==null||(e.__u=e(t))}else e.current=t}catch(a){k.__e(a,n)}}function st(e,t,n){var r,a;if(k.unmount&&k.unmount(e),(r=e.ref)&&(r.current&&r.current!=e.__e||Te(r,null,t)),(r=e.__c)!=null){if(r.componentWillUnmount)try{r.componentWillUnmount()}catch(s){k.__e(s,t)}r.base=r.__P=r.__n=null}if(r=e.__k)for(a=0;a<r.length;a++)r[a]&&st(r[a],t,n||typeof e.type!="function");n||Ae(e.__e),e.__c=e.__=e.__e=void 0}function Xt(e,t,n){return this.constructor(e,n)}function at(e,t,n){var r,a,s,l;t==document&&(t=document.documentElement),k.__&&k.__(e,t),a=(r=typeof n=="function")?null:n&&n.__k||t.__k,s=[],l=[],$e(t,e=(!r&&n||t).__k=zt(P,null,[e]),a||ce,ce,t.namespaceURI,!r&&n?[n]:a?null:t.firstChild?pe.call(t.childNodes):null,s,!r&&n?n:a?a.__e:t.firstChild,r,l),ot(s,e,l),e.props.children=null}function it(e){function t(n){var r,a;return this.getChildContext||(r=new Set,(a={})[t.__c]=this,this.getChildContext=function(){return a},this.componentWillUnmount=function(){r=null},this.shouldComponentUpdate=function(s){this.props.value!=s.value&&r.forEach(function(l){l.__e=!0,Le(l)})},this.sub=function(s){r.add(s);var l=s.componentWillUnmount;s.componentWillUnmount=function(){r&&r.delete(s),l&&l.call(s)}}),n.children}return t.__c="__cC"+Ye++,t.__=e,t.Provider=t.__l=(t.Consumer=function(n,r){return n.children(r)}).contextType=t,t}pe=ue.slice,k={__e:function(e,t,n,r){for(var a,s,l;t=t.__;)if((a=t.__c)&&!a.__)try{if((s=a.constructor)&&s.getDerivedStateFromError!=null&&(a.setState(s.getDerivedStateFromError(e)),l=a.__d),a.componentDidCatch!=null&&(a.componentDidCatch(e,r||{}),l=a.__d),l)return a.__E=a}catch(u){e=u}throw e}},ze=0,Vt=function(e){return e!=null&&e.constructor===void 0},le.prototype.setState=function(e,t){var n;n=this.__s!=null&&this.__s!=this.state?this.__s:this.__s=T({},this.state),typeof e=="function"&&(e=e(T({},n),this.props)),e&&T(n,e),e!=null&&this.__v&&(t&&this._sb.push(t),Le(this))},le.prototype.forceUpdate=function(e){this.__v&&(this.__e=!0,e&&this.__h.push(e),Le(this))},le.prototype.render=P,M=[],Qe=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,Ze=function(e,t){return e.__v.__b-t.__v.__b},de.__r=0,Ee=Math.random().toString(8),ae="__d"+Ee,J="__a"+Ee,Je=/(PointerCapture)$|Capture$/i,Ne=0,xe=Ke(!1),Ie=Ke(!0),Ye=0;var W,w,Ue,lt,Y=0,ht=[],C=k,ct=C.__b,ut=C.__r,dt=C.diffed,pt=C.__c,_t=C.unmount,ft=C.__;function X(e,t){C.__h&&C.__h(w,e,Y||t),Y=0;var n=w.__H||(w.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function g(e){return Y=1,en(vt,e)}function en(e,t,n){var r=X(W++,2);if(r.t=e,!r.__c&&(r.__=[n?n(t):vt(void 0,t),function(u){var p=r.__N?r.__N[0]:r.__[0],c=r.t(p,u);p!==c&&(r.__N=[c,r.__[1]],r.__c.setState({}))}],r.__c=w,!w.__f)){var a=function(u,p,c){if(!r.__c.__H)return!0;var _=!1,f=r.__c.props!==u;if(r.__c.__H.__.some(function(d){if(d.__N){_=!0;var m=d.__[0];d.__=d.__N,d.__N=void 0,m!==d.__[0]&&(f=!0)}}),s){var i=s.call(this,u,p,c);return _?i||f:i}return!_||f};w.__f=!0;var s=w.shouldComponentUpdate,l=w.componentWillUpdate;w.componentWillUpdate=function(u,p,c){if(this.__e){var _=s;s=void 0,a(u,p,c),s=_}l&&l.call(this,u,p,c)},w.shouldComponentUpdate=a}return r.__N||r.__}function G(e,t){var n=X(W++,3);!C.__s&&Me(n.__H,t)&&(n.__=e,n.u=t,w.__H.__h.push(n))}function gt(e,t){var n=X(W++,4);!C.__s&&Me(n.__H,t)&&(n.__=e,n.u=t,w.__h.push(n))}function yt(e){return Y=5,V(function(){return{current:e}},[])}function V(e,t){var n=X(W++,7);return Me(n.__H,t)&&(n.__=e(),n.__H=t,n.__h=e),n.__}function qe(e,t){return Y=8,V(function(){return e},t)}function R(e){var t=w.context[e.__c],n=X(W++,9);return n.c=e,t?(n.__==null&&(n.__=!0,t.sub(w)),t.props.value):e.__}function tn(){for(var e;e=ht.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(fe),t.__h.some(De),t.__h=[]}catch(n){t.__h=[],C.__e(n,e.__v)}}}C.__b=function(e){w=null,ct&&ct(e)},C.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),ft&&ft(e,t)},C.__r=function(e){ut&&ut(e),W=0;var t=(w=e.__c).__H;t&&(Ue===w?(t.__h=[],w.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})):(t.__h.some(fe),t.__h.some(De),t.__h=[],W=0)),Ue=w},C.diffed=function(e){dt&&dt(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&(ht.push(t)!==1&&lt===C.requestAnimationFrame||((lt=C.requestAnimationFrame)||nn)(tn)),t.__H.__.some(function(n){n.u&&(n.__H=n.u,n.u=void 0)})),Ue=w=null},C.__c=function(e,t){t.some(function(n){try{n.__h.some(fe),n.__h=n.__h.filter(function(r){return!r.__||De(r)})}catch(r){t.some(function(a){a.__h&&(a.__h=[])}),t=[],C.__e(r,n.__v)}}),pt&&pt(e,t)},C.unmount=function(e){_t&&_t(e);var t,n=e.__c;n&&n.__H&&(n.__H.__.some(function(r){try{fe(r)}catch(a){t=a}}),n.__H=void 0,t&&C.__e(t,n.__v))};var mt=typeof requestAnimationFrame=="function";function nn(e){var t,n=function(){clearTimeout(r),mt&&cancelAnimationFrame(t),setTimeout(e)},r=setTimeout(n,35);mt&&(t=requestAnimationFrame(n))}function fe(e){var t=w,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),w=t}function De(e){var t=w;e.__c=e.__(),w=t}function Me(e,t){return!e||e.length!==t.length||t.some(function(n,r){return n!==e[r]})}function vt(e,t){return typeof t=="function"?t(e):t}var Re="licgraph.token";function me(){return sessionStorage.getItem(Re)}function bt(e){sessionStorage.setItem(Re,e.trim())}function K(){sessionStorage.removeItem(Re)}var on=new URL("../graphql",window.location.href),rn="Your session has ended: the token has expired, was revoked or is not valid. Sign in again with a valid token.",L=class extends Error{},ee=class extends Error{constructor(t,n){super(t),this.code=n}};async function z(e,t={}){let n=me();if(!n)throw new L("Sign in with an access token.");let r=await sn(e,t,n),a=await r.json().catch(()=>null),[s]=a?.errors??[];if(r.status===401||s?.extensions?.code==="UNAUTHENTICATED")throw K(),new L(rn);if(s)throw new ee(s.message,s.extensions?.code);if(!r.ok||!a?.data)throw new ee(`The server answered ${r.status}; try again.`,"HTTP");return a.data}async function sn(e,t,n){try{return await fetch(on,{method:"POST",headers:{"Content-Type":"application/json",Accept:"application/graphql-response+json, application/json",Authorization:`Bearer ${n}`},body:JSON.stringify({query:e,variables:t})})}catch{throw new ee("The server could not be reached. Check the connection and try again.","NETWORK")}}function U(e){return`app-${e}-${crypto.randomUUID()}`}var D=it(null);function O(){let e=R(D);return qe(async(t,n)=>{try{return await z(t,n)}catch(r){throw r instanceof L&&e.end(r.message),r}},[e])}function N(e,t){let n=O(),r=JSON.stringify(t),[a,s]=g({data:null,error:null,loading:!0,key:null}),[l,u]=g(0);G(()=>{let f=!0;return s(i=>({...i,error:null,loading:!0})),n(e,t).then(i=>f&&s({data:i,error:null,loading:!1,key:r}),i=>f&&!(i instanceof L)&&s(d=>({...d,error:i,loading:!1,key:r}))),()=>{f=!1}},[e,r,l]);let p=qe(()=>u(f=>f+1),[]),{data:c,error:_}=a;return{data:c,error:_,loading:a.loading||a.key!==r,reload:p}}function H(e){let[t,n]=g({busy:!1,error:null});return[async(...a)=>{n({busy:!0,error:null});try{let s=await e(...a);return n({busy:!1,error:null}),s}catch(s){n({busy:!1,error:s instanceof L?null:s});return}},t]}var te=`# Who am I? The token's name, role and scope. Run it first
# (Ctrl-Enter) to check your token: every operation needs
# \`Authorization: Bearer <token>\` in Headers, below. Get one with
# \`licgraph token create --role reader\`; \`licgraph serve --demo\`
# prints one per role and puts the admin agent's here already. The
# tabs that follow walk the seed's flow in order.
query Viewer {
  viewer {
    name
    role
    partnerWide
    canChangeLicenses
    canPurchaseLicenses
    customer {
      id
      name
    }
  }
}
`;var Oe=`# Step 1: the customers the caller may see, sorted by name, in
# pages of at most 100. Next page: pass the previous page's
# \`pageInfo.endCursor\` as \`after\`.
query CustomersPage($first: Int = 20, $after: String, $search: String) {
  customers(first: $first, after: $after, search: $search) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        id
        name
        domain
      }
    }
  }
}
`;var He=`# Step 2: "Users and licenses", one page of a customer's users
# sorted by display name. First: \`first\` alone. Next: \`first\` +
# \`after: endCursor\`. Previous: \`last\` + \`before: startCursor\`.
# Last: \`last\` alone. \`search\` matches part of a display or
# sign-in name; \`filter\` narrows by usage location or by a product
# held or lacking.
query UsersPage(
  $customerId: ID!
  $first: Int
  $after: String
  $last: Int
  $before: String
  $search: String
  $filter: UserFilter
) {
  customer(id: $customerId) {
    id
    name
    users(
      first: $first
      after: $after
      last: $last
      before: $before
      search: $search
      filter: $filter
    ) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      nodes {
        id
        displayName
        userPrincipalName
        usageLocation
        licenses {
          product {
            id
            name
          }
          disabledServicePlans {
            name
          }
        }
      }
    }
  }
}
`;var B=`# Steps 3 and 4: the users ticked on any page ("Selected users",
# in list order) and the "Manage licenses" panel: every product's
# counts, its tri-state for the selection (ALL / SOME / NONE), who
# of the selection holds it, its service plans and its rules.
# \`availableLicenses: 0\` is where a "Buy more" link goes
# (PurchaseLicenses).
query ManageLicenses($customerId: ID!, $userIds: [ID!]!) {
  customer(id: $customerId) {
    id
    usersByIds(ids: $userIds) {
      id
      displayName
      usageLocation
    }
    products {
      id
      skuPartNumber
      name
      totalLicenses
      assignedLicenses
      availableLicenses
      assignmentState(userIds: $userIds)
      assignedUsers(userIds: $userIds) {
        id
        displayName
      }
      servicePlans {
        id
        name
        requiredServicePlans {
          id
          name
        }
      }
      requiredProducts {
        id
        name
      }
      conflictingProducts {
        id
        name
      }
      unavailableUsageLocations
    }
  }
}
`;var Q=`# Steps 5 and 6: the one Save (assign some products, with service
# plans switched off, and revoke others) and the "Licenses
# updated" confirmation: every user's status, licenses after the
# change, and a typed error per failure. Clients branch on
# \`__typename\` (or \`code\`) and read the fields each error type
# carries to offer the fix: buy more, set a usage location, add
# the required product, drop the conflicting one. A retry with the
# same \`idempotencyKey\` and input replays the first answer.
mutation SaveLicenses($input: UpdateLicensesInput!) {
  updateLicenses(input: $input) {
    applied
    dryRun
    succeededCount
    failedCount
    products {
      id
      name
      assignedLicenses
      availableLicenses
    }
    results {
      userId
      status
      user {
        displayName
        usageLocation
      }
      licenses {
        product {
          name
        }
        enabledServicePlans {
          name
        }
        disabledServicePlans {
          name
        }
      }
      errors {
        __typename
        code
        message
        ... on InsufficientLicensesError {
          product {
            id
            name
          }
          requested
          available
        }
        ... on UsageLocationRequiredError {
          userId
        }
        ... on ProductUnavailableInLocationError {
          product {
            name
          }
          usageLocation
        }
        ... on MissingDependencyError {
          product {
            name
          }
          requiredProducts {
            id
            name
          }
        }
        ... on DependentLicenseError {
          product {
            name
          }
          dependentProducts {
            id
            name
          }
        }
        ... on MutuallyExclusiveLicensesError {
          product {
            name
          }
          conflictingProducts {
            id
            name
          }
        }
        ... on InvalidServicePlanError {
          product {
            name
          }
          servicePlanIds
        }
        ... on ServicePlanDependencyError {
          product {
            name
          }
          servicePlan {
            name
          }
          requiredServicePlans {
            id
            name
          }
        }
        ... on UserNotFoundError {
          userId
        }
        ... on ProductNotFoundError {
          productId
        }
        ... on InheritedLicenseError {
          product {
            name
          }
          groups {
            id
            name
          }
        }
      }
    }
  }
}
`;var Fe=`# "Buy more": raise a product's total (Admin and Sales agents
# only). An unknown product comes back as a ProductNotFoundError
# in \`errors\`, with \`applied: false\`.
mutation PurchaseLicenses($input: PurchaseLicensesInput!) {
  purchaseLicenses(input: $input) {
    applied
    product {
      id
      name
      totalLicenses
      assignedLicenses
      availableLicenses
    }
    errors {
      __typename
      code
      message
    }
  }
}
`;var We=`# Fix what a UsageLocationRequiredError (or
# ProductUnavailableInLocationError) names: set one ISO 3166-1
# alpha-2 usage location on several users, then Save again.
mutation SetUsageLocation($input: SetUsageLocationInput!) {
  setUsageLocation(input: $input) {
    usageLocation
    results {
      userId
      status
      user {
        displayName
        usageLocation
      }
      errors {
        __typename
        code
        message
      }
    }
  }
}
`;var Ge=`# The change log of a customer, newest first: every assign,
# revoke, plan change, purchase and usage-location change, with
# who made it and the request it came from. \`filter\` narrows it to
# one user, product or action.
query ChangeLogPage(
  $customerId: ID!
  $first: Int = 20
  $after: String
  $filter: LicenseEventFilter
) {
  customer(id: $customerId) {
    id
    licenseEvents(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        occurredAt
        action
        user {
          id
          displayName
        }
        product {
          id
          name
        }
        actor {
          name
          role
        }
        requestId
        details
      }
    }
  }
}
`;var mn=0;function o(e,t,n,r,a,s){t||(t={});var l,u,p=t;if("ref"in p)for(u in p={},t)u=="ref"?l=t[u]:p[u]=t[u];var c={type:e,props:p,key:n,ref:l,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:--mn,__i:-1,__u:0,__source:a,__self:s};if(typeof e=="function"&&(l=e.defaultProps))for(u in l)p[u]===void 0&&(p[u]=l[u]);return k.vnode&&k.vnode(c),c}function he({state:e,id:t,onChange:n,disabled:r,label:a}){let s=yt(null);return gt(()=>{s.current.indeterminate=e==="some"},[e]),o("input",{ref:s,type:"checkbox",id:t,"aria-label":a,checked:e==="all",disabled:r,onChange:n})}function I({error:e}){return e?o("p",{class:"problem",role:"alert",children:e.message}):null}function ge({label:e,value:t,onSearch:n,id:r}){let[a,s]=g(t??"");return o("form",{class:"search",role:"search",onSubmit:u=>{u.preventDefault(),n(a.trim()||null)},children:[o("label",{for:r,children:e}),o("input",{id:r,type:"search",value:a,onInput:u=>s(u.currentTarget.value)}),o("button",{type:"submit",children:"Search"})]})}function Z({label:e,buttons:t}){return o("nav",{class:"pager","aria-label":e,children:t.map(({text:n,onClick:r,enabled:a})=>o("button",{type:"button",onClick:r,disabled:!a,children:n},n))})}var hn={ADMIN_AGENT:"Admin agent",SALES_AGENT:"Sales agent",HELPDESK_AGENT:"Helpdesk agent",GLOBAL_ADMIN:"Global admin",USER_MANAGEMENT_ADMIN:"User management admin",READER:"Reader"},gn={ASSIGNED:"License assigned",REVOKED:"License removed",PLANS_CHANGED:"Service plans changed",PURCHASED:"Licenses bought",USAGE_LOCATION_SET:"Usage location set"},yn={SUCCEEDED:"Updated",FAILED:"Not changed: failed",UNCHANGED:"No change needed"},ye=e=>hn[e]??e,St=e=>gn[e]??e,kt=e=>yn[e]??e;function q(e,t="and"){let n=e.map(r=>r.name??r.displayName??r);return n.length<=1?n.join(""):`${n.slice(0,-1).join(", ")} ${t} ${n.at(-1)}`}var vn={InsufficientLicensesError:e=>`Not enough ${e.product.name} licenses: this save needed ${e.requested} new, only ${e.available} ${e.available===1?"was":"were"} free. Buy more or pick fewer users.`,UsageLocationRequiredError:()=>"This user has no usage location, and licenses can only go to users who have one. Set a usage location, then retry.",ProductUnavailableInLocationError:e=>`${e.product.name} is not sold in this user's usage location (${e.usageLocation}). Set another usage location or leave this product out.`,MissingDependencyError:e=>`${e.product.name} needs ${q(e.requiredProducts,"or")} as well: assign one of them in the same save.`,DependentLicenseError:e=>`${e.product.name} can't be removed while ${q(e.dependentProducts)} ${e.dependentProducts.length===1?"depends":"depend"} on it: remove ${e.dependentProducts.length===1?"that":"those"} too.`,MutuallyExclusiveLicensesError:e=>`${e.product.name} can't be held together with ${q(e.conflictingProducts)}.`,InvalidServicePlanError:e=>`Some service plans switched off for ${e.product.name} don't belong to it.`,ServicePlanDependencyError:e=>`In ${e.product.name}, ${e.servicePlan.name} needs ${q(e.requiredServicePlans)} switched on.`,UserNotFoundError:()=>"This user does not exist (any more) in this customer.",ProductNotFoundError:()=>"This product does not exist (any more) for this customer."};function ve(e){return vn[e.__typename]?.(e)??e.message}var wt=e=>e.__typename==="UsageLocationRequiredError"||e.__typename==="ProductUnavailableInLocationError";function be(e){let t=e.disabledServicePlans??[];return t.length===0?e.product.name:`${e.product.name} (without ${q(t)})`}var bn=new Intl.DateTimeFormat("en-GB",{dateStyle:"medium",timeStyle:"medium"}),Ct=e=>bn.format(new Date(e));var Sn=20;function Pt({customer:e}){let[t,n]=g([]),r=t.at(-1)??null,{data:a,error:s,loading:l}=N(Ge,{customerId:e.id,first:Sn,after:r}),u=a?.customer?.licenseEvents;return o("section",{"aria-labelledby":"log-title","aria-busy":l?"true":"false",children:[o("h2",{id:"log-title",children:"Change log"}),o(I,{error:s}),u&&o(P,{children:[o("p",{class:"count",children:[u.totalCount," changes, newest first."]}),o("div",{class:"table-scroll",children:o("table",{class:"log",children:[o("caption",{class:"visually-hidden",children:["Changes to ",e.name]}),o("thead",{children:o("tr",{children:[o("th",{scope:"col",children:"When"}),o("th",{scope:"col",children:"What"}),o("th",{scope:"col",children:"User"}),o("th",{scope:"col",children:"Product"}),o("th",{scope:"col",children:"By"})]})}),o("tbody",{children:u.nodes.map(p=>o("tr",{children:[o("td",{children:Ct(p.occurredAt)}),o("td",{children:St(p.action)}),o("td",{children:p.user?.displayName??"—"}),o("td",{children:p.product?.name??"—"}),o("td",{children:[p.actor.name," ",o("span",{class:"muted",children:["(",ye(p.actor.role),")"]})]})]},p.id))})]})}),o(Z,{label:"Change log pages",buttons:[{text:"Newer",enabled:t.length>0,onClick:()=>n(t.slice(0,-1))},{text:"Older",enabled:u.pageInfo.hasNextPage,onClick:()=>n([...t,u.pageInfo.endCursor])}]})]})]})}var kn=10;function Et({onOpen:e}){let[t,n]=g(null),[r,a]=g([]),s=r.at(-1)??null,{data:l,error:u,loading:p}=N(Oe,{first:kn,after:s,search:t}),c=l?.customers;return o("section",{"aria-labelledby":"customers-title","aria-busy":p?"true":"false",children:[o("h2",{id:"customers-title",children:"Customers"}),o(ge,{id:"customer-search",label:"Search customers",value:t,onSearch:_=>{n(_),a([])}}),o(I,{error:u}),c&&o(P,{children:[o("p",{class:"count",children:[c.totalCount," ",c.totalCount===1?"customer":"customers"]}),o("ul",{class:"customers",children:c.edges.map(({node:_})=>o("li",{children:[o("button",{type:"button",onClick:()=>e(_),children:_.name}),o("span",{class:"muted",children:_.domain})]},_.id))}),o(Z,{label:"Customer pages",buttons:[{text:"Previous",enabled:r.length>0,onClick:()=>a(r.slice(0,-1))},{text:"Next",enabled:c.pageInfo.hasNextPage,onClick:()=>a([...r,c.pageInfo.endCursor])}]})]})]})}var ne=e=>e.toLowerCase();function xt(e,t){return t==="all"?"none":t==="none"&&e==="some"?"some":"all"}function wn(e,t){let n=new Set,r=a=>{for(let s of e)!n.has(s.id)&&s.requiredServicePlans.some(l=>l.id===a)&&(n.add(s.id),r(s.id))};return r(t),n}function Cn(e,t){let n=new Map(e.map(s=>[s.id,s])),r=new Set,a=s=>{for(let l of n.get(s)?.requiredServicePlans??[])r.has(l.id)||(r.add(l.id),a(l.id))};return a(t),r}function It(e,t,n){return new Set([...t,n,...wn(e,n)])}function Lt(e,t,n){let r=new Set([n,...Cn(e,n)]);return new Set([...t].filter(a=>!r.has(a)))}function Nt(e,t,n,r){let a=[],s=[];for(let l of e){let u=ne(l.assignmentState),p=t[l.id]??u,c=r.has(l.id);if(p==="all"&&(u!=="all"||c)){let _=[...n[l.id]??[]];a.push({productId:l.id,disabledServicePlanIds:_})}else p==="none"&&u!=="none"&&s.push(l.id)}return{assign:a,revoke:s}}var At=({assign:e,revoke:t})=>e.length===0&&t.length===0;function $t(e){let t=new Map;for(let n of e)for(let r of n.errors){if(r.__typename!=="InsufficientLicensesError")continue;let a=r.requested-r.available;t.set(r.product.id,{product:r.product,...r,short:a})}return[...t.values()]}var Se=e=>e.filter(t=>t.status==="FAILED");function Tt({customer:e,product:t,onBought:n}){let r=O(),[a,s]=g(!1),[l,u]=g("5"),[p,c]=g(()=>U("purchase")),[_,{busy:f,error:i}]=H(async()=>{let{purchaseLicenses:m}=await r(Fe,{input:{customerId:e.id,productId:t.id,quantity:Number(l),idempotencyKey:p}});if(m.errors.length>0)throw new Error(m.errors[0].message);c(U("purchase")),s(!1),n()});if(!a)return o("button",{type:"button",onClick:()=>s(!0),children:"Buy more"});let d=`buy-${t.id}`;return o("form",{class:"buy",onSubmit:m=>{m.preventDefault(),_()},children:[o("label",{for:d,children:["Licenses of ",t.name," to buy"]}),o("input",{id:d,type:"number",min:"1",max:"10000",required:!0,value:l,onInput:m=>{u(m.currentTarget.value),c(U("purchase"))}}),o("button",{type:"submit",disabled:f,children:f?"Buying…":"Buy"}),o(I,{error:i})]})}function Ut({customer:e,userIds:t,products:n,change:r,empty:a,onSaved:s}){let l=O(),u=JSON.stringify([t,r]),[p,c]=g(null),[_,f]=g(()=>U("save"));G(()=>{c(null),f(U("save"))},[u]);let i={customerId:e.id,userIds:t,assign:r.assign,revoke:r.revoke},[d,m]=H(async()=>{let{updateLicenses:v}=await l(Q,{input:{...i,dryRun:!0}});c(v)}),[S,b]=H(async()=>{let{updateLicenses:v}=await l(Q,{input:{...i,idempotencyKey:_}});s({payload:v,change:r,userIds:t})}),y=v=>q(n.filter(x=>v.includes(x.id)));return o("div",{class:"save-area","aria-labelledby":"preview-title",children:[o("h3",{id:"preview-title",children:"Save"}),a?o("p",{children:"Tick products to assign or clear products to remove, then preview the change."}):o("p",{children:[r.assign.length>0&&o(P,{children:["Assign ",y(r.assign.map(v=>v.productId)),". "]}),r.revoke.length>0&&o(P,{children:["Remove ",y(r.revoke),". "]}),"For ",t.length," ",t.length===1?"user":"users","."]}),o("button",{type:"button",disabled:a||m.busy,onClick:()=>d(),children:m.busy?"Checking…":"Preview changes"}),o(I,{error:m.error}),p&&o(Pn,{preview:p}),p&&o("button",{type:"button",class:"primary",disabled:b.busy,onClick:()=>S(),children:b.busy?"Saving…":"Save"}),b.error&&o("p",{class:"problem",role:"alert",children:[b.error.message," Saving again is safe: this change is applied at most once."]})]})}function Pn({preview:e}){let t=Se(e.results),n=$t(e.results);return o("div",{class:"preview",role:"status",children:[o("p",{children:[o("strong",{children:"Preview:"})," ",e.succeededCount," would be updated, ",e.failedCount," ","would fail. Nothing has been saved yet."]}),n.length>0&&o("ul",{class:"shortfalls","aria-label":"Licenses short",children:n.map(r=>o("li",{children:[r.product.name,": ",r.requested," needed, ",r.available," available — ",r.short," short"]},r.product.id))}),t.length>0&&o("ul",{class:"failing","aria-label":"Users who would fail",children:t.map(r=>o("li",{children:[o("strong",{children:r.user?.displayName??r.userId}),":"," ",r.errors.map(ve).join(" ")]},r.userId))})]})}function Dt({id:e,product:t,disabled:n,editable:r,onChange:a}){let s=t.servicePlans;return o("fieldset",{id:e,class:"plans",children:[o("legend",{children:["Service plans of ",t.name]}),!r&&o("p",{class:"hint",children:"Tick the product to choose the plans it is assigned with."}),s.map(l=>o("div",{class:"plan",children:[o("input",{type:"checkbox",id:`${e}-${l.id}`,checked:!n.has(l.id),disabled:!r,onChange:u=>a(u.currentTarget.checked?Lt(s,n,l.id):It(s,n,l.id))}),o("label",{for:`${e}-${l.id}`,children:l.name}),l.requiredServicePlans.length>0&&o("span",{class:"muted",children:[" (needs ",l.requiredServicePlans.map(u=>u.name).join(", "),")"]})]},l.id))]})}function qt({customer:e,selection:t,onSaved:n}){let{viewer:r}=R(D),a=[...t.keys()],{data:s,error:l,loading:u,reload:p}=N(B,{customerId:e.id,userIds:a}),[c,_]=g({}),[f,i]=g({}),[d,m]=g(new Set),S=s?.customer?.products??[],b=s?.customer?.usersByIds??[],y=V(()=>Nt(S,c,f,d),[S,c,f,d]);if(t.size===0)return o("section",{"aria-labelledby":"manage-title",children:[o("h2",{id:"manage-title",children:"Manage licenses"}),o("p",{children:"No user is selected yet: tick users in “Users and licenses”."})]});let v=(h,E)=>{i({...f,[h]:E}),m(new Set([...d,h]))},x=h=>{let{[h]:E,...A}=f;i(A),m(new Set([...d].filter(oe=>oe!==h)))};return o("section",{"aria-labelledby":"manage-title","aria-busy":u?"true":"false",children:[o("h2",{id:"manage-title",children:"Manage licenses"}),o("ul",{class:"chips","aria-label":"Selected users",children:b.map(h=>o("li",{children:h.displayName},h.id))}),o(I,{error:l}),!r.canChangeLicenses&&o("p",{class:"note",children:"Your role can look at licenses but not change them."}),o("ul",{class:"products",children:S.map(h=>o(En,{customer:e,product:h,selectedCount:b.length,choice:c[h.id]??ne(h.assignmentState),onClick:()=>{let E=ne(h.assignmentState),A=xt(E,c[h.id]??E);_({...c,[h.id]:A}),A!=="all"&&x(h.id)},disabledPlans:f[h.id]??new Set,onPlans:E=>v(h.id,E),onBought:p},h.id))}),r.canChangeLicenses&&s&&o(Ut,{customer:e,userIds:a,products:S,change:y,empty:At(y),onSaved:n})]})}function En({customer:e,product:t,selectedCount:n,choice:r,onClick:a,disabledPlans:s,onPlans:l,onBought:u}){let{viewer:p}=R(D),[c,_]=g(!1),f=`product-${t.id}`,i=t.assignedUsers;return o("li",{class:"product",children:[o("div",{class:"product-head",children:[o(he,{id:f,state:r,disabled:!p.canChangeLicenses,onChange:a}),o("label",{for:f,class:"product-name",children:t.name}),o("span",{class:`change change-${Mt(t,r)}`,children:xn(t,r)})]}),o("p",{class:"counts",children:[o("strong",{children:[t.availableLicenses," available"]})," · ",t.assignedLicenses," ","assigned of ",t.totalLicenses]}),o("div",{class:"product-tools",children:[o("span",{class:"tip",children:[o("button",{type:"button",class:"tip-trigger","aria-describedby":`${f}-holders`,children:["Assigned: ",i.length," of ",n]}),o("span",{role:"tooltip",id:`${f}-holders`,children:i.length===0?"None of the selected users holds it.":`Held by ${i.map(d=>d.displayName).join(", ")}`})]}),t.servicePlans.length>0&&o("button",{type:"button","aria-expanded":c?"true":"false","aria-controls":`${f}-plans`,onClick:()=>_(!c),children:c?"Hide service plans":"View service plans"}),t.availableLicenses===0&&p.canPurchaseLicenses&&o(Tt,{customer:e,product:t,onBought:u})]}),o(In,{product:t}),c&&o(Dt,{id:`${f}-plans`,product:t,disabled:s,editable:p.canChangeLicenses&&r==="all",onChange:l})]})}function Mt(e,t){let n=ne(e.assignmentState);return t===n?"none":t==="all"?"assign":t==="none"?"revoke":"none"}function xn(e,t){let n=Mt(e,t);return n==="assign"?"will be assigned":n==="revoke"?"will be removed":""}function In({product:e}){let t=[];return e.requiredProducts.length>0&&t.push(`Needs ${e.requiredProducts.map(n=>n.name).join(" or ")}.`),e.conflictingProducts.length>0&&t.push(`Not with ${e.conflictingProducts.map(n=>n.name).join(", ")}.`),e.unavailableUsageLocations.length>0&&t.push(`Not sold in ${e.unavailableUsageLocations.join(", ")}.`),t.length>0?o("p",{class:"rules",children:t.join(" ")}):null}function Rt({customer:e,outcome:t,onRetried:n}){let{viewer:r}=R(D),a=O(),{payload:s,change:l}=t,u=Se(s.results),[p]=g(()=>U("retry")),[c,_]=H(async()=>{let f=u.map(m=>m.userId),i={customerId:e.id,userIds:f,...l,idempotencyKey:p},{updateLicenses:d}=await a(Q,{input:i});n({payload:d,change:l,userIds:f,retried:!0})});return o("section",{"aria-labelledby":"results-title",children:[o("h2",{id:"results-title",children:"Licenses updated"}),o("p",{class:"summary",role:"status",children:[t.retried?"Retry of the failed users: ":"",s.succeededCount," updated, ",s.failedCount," failed,"," ",s.results.length-s.succeededCount-s.failedCount," unchanged."]}),o(Ln,{customer:e,failed:u}),u.length>0&&r.canChangeLicenses&&o("p",{children:o("button",{type:"button",class:"primary",disabled:_.busy,onClick:()=>c(),children:_.busy?"Retrying…":`Retry the failed users only (${u.length})`})}),o(I,{error:_.error}),o("ul",{class:"results",children:s.results.map(f=>o("li",{class:`result result-${f.status.toLowerCase()}`,children:[o("h3",{children:f.user?.displayName??"Unknown user"}),o("p",{class:"status",children:kt(f.status)}),o("p",{children:[o("span",{class:"muted",children:"Licenses now: "}),f.licenses.map(be).join("; ")||"none"]}),f.errors.length>0&&o("ul",{class:"errors","aria-label":`Errors for ${f.user?.displayName??"this user"}`,children:f.errors.map((i,d)=>o("li",{children:ve(i)},d))})]},f.userId))})]})}function Ln({customer:e,failed:t}){let{viewer:n}=R(D),r=O(),a=t.filter(i=>i.errors.some(wt)),[s,l]=g(""),[u,p]=g(null),[c,_]=H(async()=>{let{setUsageLocation:i}=await r(We,{input:{customerId:e.id,userIds:a.map(m=>m.userId),usageLocation:s.trim().toUpperCase()}}),d=i.results.flatMap(m=>m.errors);if(d.length>0)throw new Error(d.map(m=>m.message).join(" "));p(i)});if(a.length===0||!n.canChangeLicenses)return null;let f=q(a.map(i=>i.user?.displayName??i.userId));return o("form",{class:"location-fix",onSubmit:i=>{i.preventDefault(),c()},children:[o("p",{children:["A usage location would fix the errors of ",o("strong",{children:f}),"."]}),o("label",{for:"fix-location",children:"Usage location (two letters, such as US)"}),o("input",{id:"fix-location",required:!0,size:"4",maxLength:2,pattern:"[A-Za-z]{2}",value:s,onInput:i=>l(i.currentTarget.value)}),o("button",{type:"submit",disabled:_.busy,children:"Set usage location"}),o(I,{error:_.error}),u&&o("p",{role:"status",children:["Usage location set to ",u.usageLocation," for ",f,". Now retry the failed users."]})]})}var ke=()=>new Map;function we(e,t){let n=new Map(e);return n.has(t.id)?n.delete(t.id):n.set(t.id,{id:t.id,displayName:t.displayName}),n}function Ot(e,t){let n=new Map(e),r=t.length>0&&t.every(a=>n.has(a.id));for(let a of t)r?n.delete(a.id):n.set(a.id,{id:a.id,displayName:a.displayName});return n}function Ht(e,t){let n=t.filter(r=>e.has(r.id)).length;return n===0?"none":n===t.length?"all":"some"}function Ft({customer:e,selection:t,onSelection:n,onManage:r}){let a=[...t.keys()],{data:s,error:l,loading:u}=N(B,{customerId:e.id,userIds:a}),p=(s?.customer?.usersByIds??[]).filter(c=>t.has(c.id));return o("section",{"aria-labelledby":"selected-title","aria-busy":u?"true":"false",children:[o("h2",{id:"selected-title",children:"Selected users"}),o(I,{error:l}),t.size===0?o("p",{children:"No user is selected yet: tick users in “Users and licenses”."}):o(P,{children:[o("p",{class:"count",children:[t.size," selected, sorted by name."]}),o("ol",{class:"selected",children:p.map(c=>o("li",{children:[o("span",{children:c.displayName}),o("span",{class:"muted",children:c.usageLocation??"no usage location"}),o("button",{type:"button","aria-label":`Untick ${c.displayName}`,onClick:()=>n(we(t,c)),children:"Untick"})]},c.id))}),o("button",{type:"button",class:"primary",onClick:r,children:"Manage licenses of these users"})]})]})}function Wt({message:e,onSignedIn:t}){let[n,r]=g(""),[a,s]=g(e),[l,u]=g(!1);return o("main",{id:"main",class:"sign-in",children:[o("h1",{children:"Manage licenses"}),o("p",{children:["Sign in with an access token (from ",o("code",{children:"licgraph token create"}),")."]}),a&&o("p",{class:"problem",role:"alert",children:a}),o("form",{onSubmit:async c=>{if(c.preventDefault(),!n.trim()){s("Paste an access token first.");return}u(!0),bt(n);try{let{viewer:_}=await z(te);t(_)}catch(_){K(),s(_ instanceof L?"That token was not accepted: it is unknown, expired or revoked.":_.message),u(!1)}},children:[o("label",{for:"token",children:"Access token"}),o("input",{id:"token",type:"password",autocomplete:"off",spellcheck:!1,value:n,onInput:c=>r(c.currentTarget.value)}),o("button",{type:"submit",disabled:l,children:l?"Signing in…":"Sign in"})]}),o("p",{class:"hint",children:"The token stays in this browser tab only and is forgotten when you sign out."})]})}var Ce=25,Be={first:Ce},Nn={last:Ce};function Gt({customer:e,selection:t,onSelection:n,onManage:r}){let[a,s]=g(Be),[l,u]=g(null),[p,c]=g(null),{data:_,error:f,loading:i}=N(He,{customerId:e.id,...a,search:l,filter:p}),d=_?.customer?.users,m=d?.nodes??[],S=d?.pageInfo,b=y=>{y(),s(Be)};return o("section",{"aria-labelledby":"users-title","aria-busy":i?"true":"false",children:[o("h2",{id:"users-title",children:"Users and licenses"}),o("div",{class:"tools",children:[o(ge,{id:"user-search",label:"Search users",value:l,onSearch:y=>b(()=>u(y))}),o(An,{customer:e,onApply:y=>b(()=>c(y))})]}),o(I,{error:f}),d&&o(P,{children:[o("p",{class:"count","aria-live":"polite",children:[d.totalCount," ",d.totalCount===1?"user":"users"," ·"," ",o("strong",{children:[t.size," selected"]}),t.size>0&&o(P,{children:[" ",o("button",{type:"button",class:"link",onClick:r,children:"Manage licenses of the selected users"})]})]}),o("div",{class:"table-scroll",children:o("table",{class:"users",children:[o("caption",{class:"visually-hidden",children:["Users of ",e.name]}),o("thead",{children:o("tr",{children:[o("th",{scope:"col",children:o(he,{id:"select-page",label:"Select all on this page",state:Ht(t,m),disabled:m.length===0,onChange:()=>n(Ot(t,m))})}),o("th",{scope:"col",children:"Name"}),o("th",{scope:"col",children:"Sign-in name"}),o("th",{scope:"col",children:"Location"}),o("th",{scope:"col",children:"Licenses"})]})}),o("tbody",{children:m.map(y=>o("tr",{class:t.has(y.id)?"ticked":void 0,children:[o("td",{children:o("input",{type:"checkbox","aria-label":`Select ${y.displayName}`,checked:t.has(y.id),onChange:()=>n(we(t,y))})}),o("th",{scope:"row",children:y.displayName}),o("td",{children:y.userPrincipalName}),o("td",{children:y.usageLocation??o("span",{class:"muted",children:"none"})}),o("td",{children:y.licenses.map(be).join(", ")||o("span",{class:"muted",children:"none"})})]},y.id))})]})}),m.length===0&&o("p",{children:"No user matches."}),o(Z,{label:"User pages",buttons:[{text:"First",enabled:S.hasPreviousPage,onClick:()=>s(Be)},{text:"Previous",enabled:S.hasPreviousPage,onClick:()=>s({last:Ce,before:S.startCursor})},{text:"Next",enabled:S.hasNextPage,onClick:()=>s({first:Ce,after:S.endCursor})},{text:"Last",enabled:S.hasNextPage,onClick:()=>s(Nn)}]})]})]})}function An({customer:e,onApply:t}){let{data:n}=N(B,{customerId:e.id,userIds:[]}),r=n?.customer?.products??[],[a,s]=g(""),[l,u]=g(""),[p,c]=g(""),_=d=>{d.preventDefault();let m={};a&&(m.holdingProduct=a),l&&(m.lackingProduct=l),p.trim()&&(m.usageLocation=p.trim().toUpperCase()),t(Object.keys(m).length>0?m:null)},f=()=>{s(""),u(""),c(""),t(null)},i=r.map(d=>o("option",{value:d.id,children:d.name},d.id));return o("form",{class:"filters",onSubmit:_,"aria-label":"Filter users",children:[o("label",{for:"holding",children:"Holding product"}),o("select",{id:"holding",value:a,onChange:d=>s(d.currentTarget.value),children:[o("option",{value:"",children:"Any"}),i]}),o("label",{for:"lacking",children:"Lacking product"}),o("select",{id:"lacking",value:l,onChange:d=>u(d.currentTarget.value),children:[o("option",{value:"",children:"Any"}),i]}),o("label",{for:"location",children:"Usage location"}),o("input",{id:"location",size:"4",maxLength:2,placeholder:"US",value:p,onInput:d=>c(d.currentTarget.value)}),o("button",{type:"submit",children:"Apply filters"}),o("button",{type:"button",onClick:f,children:"Clear filters"})]})}var $n=[["customers","Customers"],["users","Users and licenses"],["selected","Selected users"],["manage","Manage licenses"],["results","Licenses updated"],["log","Change log"]];function Bt(){let[e,t]=g(null),[n,r]=g(()=>me()!==null),[a,s]=g(null),[l,u]=g(null),[p,c]=g(ke),[_,f]=g("customers"),[i,d]=g(null),m=h=>{t(h),s(null),h.customer?b(h.customer):f("customers")},S=h=>{K(),t(null),u(null),c(ke()),d(null),s(h)},b=h=>{u(h),c(ke()),d(null),f("users")},y=V(()=>({viewer:e,end:S}),[e]);if(G(()=>{n&&z(te).then(({viewer:h})=>m(h),h=>S(h instanceof L?h.message:null)).finally(()=>r(!1))},[]),G(()=>{document.getElementById("main")?.focus()},[_]),n)return o("p",{class:"loading",children:"Checking your session…"});if(!e)return o(Wt,{message:a,onSignedIn:m});let v=h=>{d(E=>({...h,serial:(E?.serial??0)+1})),f("results")},x={customer:l,selection:p,onSelection:c,onManage:()=>f("manage")};return o(D.Provider,{value:y,children:[o("a",{class:"skip",href:"#main",children:"Skip to the screen"}),o("header",{class:"top",children:[o("h1",{class:"brand",children:"licgraph · Manage licenses"}),o("p",{class:"who",children:[e.name," ",o("span",{class:"muted",children:["(",ye(e.role),")"]}),l&&o(P,{children:[" ","· ",o("strong",{children:l.name})]})]}),o("button",{type:"button",onClick:()=>S(null),children:"Sign out"})]}),o("nav",{class:"screens","aria-label":"Screens",children:$n.map(([h,E])=>o("button",{type:"button","aria-current":_===h?"page":void 0,disabled:!Tn(h,l,i,e),onClick:()=>f(h),children:[E,h==="selected"&&l?` (${p.size})`:""]},h))}),o("main",{id:"main",tabIndex:-1,children:[_==="customers"&&o(Et,{onOpen:b}),_==="users"&&o(Gt,{...x}),_==="selected"&&o(Ft,{...x}),_==="manage"&&o(qt,{...x,onSaved:v}),_==="results"&&i&&o(Rt,{customer:l,outcome:i,onRetried:v},i.serial),_==="log"&&o(Pt,{customer:l})]})]})}function Tn(e,t,n,r){return e==="customers"?r.partnerWide:e==="results"?n!==null:t!==null}var jt=document.getElementById("app");jt.replaceChildren();at(o(Bt,{}),jt);
